/**
 * Principal component analysis, exact: the covariance matrix and its symmetric
 * eigen-decomposition by cyclic Jacobi rotations. For wide data (dim > 64) the leading
 * components come from orthogonal (subspace) iteration on the covariance, finished by a
 * Rayleigh–Ritz step with the same Jacobi solver.
 *
 * Signs are fixed so that each component's largest-magnitude loading is positive, so the result
 * is deterministic.
 */
import { pointCount, type Numeric } from './knn.ts';

export interface PcaResult {
  /** n × nComponents, flat: the centred data projected on the components. */
  projection: Float64Array;
  /** nComponents × dim, flat: unit principal axes, strongest first. */
  components: Float64Array;
  /** Variance along each component (eigenvalues of the covariance, divisor n − 1). */
  variance: Float64Array;
  /** Per-dimension mean that was subtracted. */
  mean: Float64Array;
}

/**
 * Eigen-decomposition of a symmetric matrix `a` (m × m, flat, row-major; overwritten).
 * Returns eigenvalues in descending order and the matching unit eigenvectors as rows.
 */
export function symmetricEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < m; p++) {
      diag += a[p * m + p]! * a[p * m + p]!;
      for (let q = p + 1; q < m; q++) off += a[p * m + q]! * a[p * m + q]!;
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < m - 1; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!;
        if (apq === 0) continue;
        const app = a[p * m + p]!;
        const aqq = a[q * m + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J on rows/columns p and q.
        for (let r = 0; r < m; r++) {
          const arp = a[r * m + p]!;
          const arq = a[r * m + q]!;
          a[r * m + p] = c * arp - s * arq;
          a[r * m + q] = s * arp + c * arq;
        }
        for (let r = 0; r < m; r++) {
          const apr = a[p * m + r]!;
          const aqr = a[q * m + r]!;
          a[p * m + r] = c * apr - s * aqr;
          a[q * m + r] = s * apr + c * aqr;
        }
        a[p * m + q] = 0;
        a[q * m + p] = 0;
        // Accumulate rotations: columns of V are eigenvectors.
        for (let r = 0; r < m; r++) {
          const vrp = v[r * m + p]!;
          const vrq = v[r * m + q]!;
          v[r * m + p] = c * vrp - s * vrq;
          v[r * m + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((x, y) => a[y * m + y]! - a[x * m + x]!);
  const values = new Float64Array(m);
  const vectors = new Float64Array(m * m);
  order.forEach((col, r) => {
    values[r] = a[col * m + col]!;
    for (let t = 0; t < m; t++) vectors[r * m + t] = v[t * m + col]!;
  });
  return { values, vectors };
}

function covariance(data: Numeric, n: number, dim: number, mean: Float64Array): Float64Array {
  let zeros = 0;
  for (let t = 0; t < data.length; t++) if (data[t] === 0) zeros++;
  if (dim > 16 && zeros > data.length / 2) return sparseCovariance(data, n, dim, mean);
  const cov = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < dim; t++) row[t] = data[i * dim + t]! - mean[t]!;
    for (let p = 0; p < dim; p++) {
      const x = row[p]!;
      if (x === 0) continue;
      const base = p * dim;
      for (let q = p; q < dim; q++) cov[base + q]! += x * row[q]!;
    }
  }
  const div = Math.max(n - 1, 1);
  for (let p = 0; p < dim; p++) {
    for (let q = p; q < dim; q++) {
      const c = cov[p * dim + q]! / div;
      cov[p * dim + q] = c;
      cov[q * dim + p] = c;
    }
  }
  return cov;
}

/**
 * Covariance of mostly-zero data (e.g. pixels) from the non-zero entries only:
 * (Σ x xᵀ − n μ μᵀ) / (n − 1).
 */
function sparseCovariance(data: Numeric, n: number, dim: number, mean: Float64Array): Float64Array {
  const cov = new Float64Array(dim * dim);
  const idx = new Int32Array(dim);
  const val = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let t = 0; t < dim; t++) {
      const v = data[i * dim + t]!;
      if (v !== 0) {
        idx[m] = t;
        val[m] = v;
        m++;
      }
    }
    for (let a = 0; a < m; a++) {
      const base = idx[a]! * dim;
      const x = val[a]!;
      for (let b = a; b < m; b++) cov[base + idx[b]!]! += x * val[b]!;
    }
  }
  const div = Math.max(n - 1, 1);
  for (let p = 0; p < dim; p++) {
    for (let q = p; q < dim; q++) {
      const c = (cov[p * dim + q]! - n * mean[p]! * mean[q]!) / div;
      cov[p * dim + q] = c;
      cov[q * dim + p] = c;
    }
  }
  return cov;
}

/**
 * Leading `k` eigenpairs of a symmetric PSD matrix by orthogonal iteration + Rayleigh–Ritz, until
 * the eigenvalues settle (or `maxIterations`).
 */
function leadingEigen(cov: Float64Array, dim: number, k: number, maxIterations = 500): { values: Float64Array; vectors: Float64Array } {
  const b = Math.min(dim, k + 8);
  // Deterministic start: a fixed pseudo-random basis.
  let q = new Float64Array(b * dim);
  let s = 12345;
  for (let t = 0; t < q.length; t++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    q[t] = s / 4294967296 - 0.5;
  }
  const z = new Float64Array(b * dim);
  const orthonormalise = (m: Float64Array): void => {
    for (let r = 0; r < b; r++) {
      for (let pass = 0; pass < 2; pass++) {
        for (let u = 0; u < r; u++) {
          let dot = 0;
          for (let t = 0; t < dim; t++) dot += m[r * dim + t]! * m[u * dim + t]!;
          for (let t = 0; t < dim; t++) m[r * dim + t]! -= dot * m[u * dim + t]!;
        }
      }
      let norm = 0;
      for (let t = 0; t < dim; t++) norm += m[r * dim + t]! ** 2;
      norm = Math.sqrt(norm) || 1;
      for (let t = 0; t < dim; t++) m[r * dim + t]! /= norm;
    }
  };
  orthonormalise(q);
  let prev = new Float64Array(k);
  let values = new Float64Array(k);
  let vectors = new Float64Array(k * dim);
  for (let it = 0; it < maxIterations; it++) {
    // Z = C Q (rows of q are basis vectors).
    z.fill(0);
    for (let r = 0; r < b; r++) {
      for (let p = 0; p < dim; p++) {
        let acc = 0;
        const base = p * dim;
        for (let t = 0; t < dim; t++) acc += cov[base + t]! * q[r * dim + t]!;
        z[r * dim + p] = acc;
      }
    }
    // Rayleigh–Ritz: H = Qᵀ C Q (b × b), eigen-decompose, rotate Z's basis.
    const h = new Float64Array(b * b);
    for (let r = 0; r < b; r++) {
      for (let u = 0; u < b; u++) {
        let acc = 0;
        for (let t = 0; t < dim; t++) acc += q[r * dim + t]! * z[u * dim + t]!;
        h[r * b + u] = acc;
      }
    }
    for (let r = 0; r < b; r++) {
      for (let u = r + 1; u < b; u++) {
        const avg = (h[r * b + u]! + h[u * b + r]!) / 2;
        h[r * b + u] = avg;
        h[u * b + r] = avg;
      }
    }
    const eig = symmetricEigen(h, b);
    values = eig.values.slice(0, k);
    vectors = new Float64Array(k * dim);
    for (let r = 0; r < k; r++) {
      for (let u = 0; u < b; u++) {
        const w = eig.vectors[r * b + u]!;
        for (let t = 0; t < dim; t++) vectors[r * dim + t]! += w * q[u * dim + t]!;
      }
    }
    let converged = it > 0;
    for (let r = 0; r < k; r++) {
      if (Math.abs(values[r]! - prev[r]!) > 1e-12 * Math.max(Math.abs(values[0]!), 1e-300)) converged = false;
    }
    if (converged) break;
    prev = values;
    // Next basis: orthonormalised C Q.
    const next = z.slice();
    orthonormalise(next);
    q = next;
  }
  return { values, vectors };
}

/**
 * PCA of `n = data.length / dim` points onto `nComponents` axes. For wide data (dim > 64),
 * `maxIterations` caps the orthogonal iteration (default 500: to convergence); a few dozen already
 * capture the leading variance, which is enough to pre-reduce t-SNE's input (the t-SNE lab).
 */
export function pca(data: Numeric, dim: number, nComponents = 2, { maxIterations = 500 }: { maxIterations?: number } = {}): PcaResult {
  const n = pointCount(data, dim);
  if (n < 1) throw new RangeError('PCA needs at least one point');
  if (!Number.isInteger(nComponents) || nComponents < 1) throw new RangeError(`nComponents must be a positive integer`);
  const k = nComponents;
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let t = 0; t < dim; t++) mean[t]! += data[i * dim + t]!;
  for (let t = 0; t < dim; t++) mean[t]! /= n;
  const cov = covariance(data, n, dim, mean);
  let values: Float64Array;
  let vectors: Float64Array;
  if (dim <= 64) {
    const eig = symmetricEigen(cov, dim);
    values = eig.values;
    vectors = eig.vectors;
  } else {
    ({ values, vectors } = leadingEigen(cov, dim, Math.min(k, dim), maxIterations));
  }
  // Components beyond dim are zero axes (projection 0).
  const components = new Float64Array(k * dim);
  const variance = new Float64Array(k);
  for (let r = 0; r < Math.min(k, dim); r++) {
    let big = 0;
    for (let t = 0; t < dim; t++) if (Math.abs(vectors[r * dim + t]!) > Math.abs(big)) big = vectors[r * dim + t]!;
    const sign = big < 0 ? -1 : 1;
    for (let t = 0; t < dim; t++) components[r * dim + t] = sign * vectors[r * dim + t]!;
    variance[r] = Math.max(values[r]!, 0);
  }
  const projection = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      let acc = 0;
      for (let t = 0; t < dim; t++) acc += (data[i * dim + t]! - mean[t]!) * components[r * dim + t]!;
      projection[i * k + r] = acc;
    }
  }
  return { projection, components, variance, mean };
}
