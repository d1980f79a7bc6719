"""Reference timing for `npm run bench:tsne`: scikit-learn's Barnes-Hut t-SNE on the same input.

Usage: /usr/bin/python3 bench/reference/tsne_sklearn.py IN.json OUT.json [--perplexity 30] [--seed 0] [--n-jobs -1]

IN.json is an array of rows (like `npm run tsne`); OUT.json receives
{"seconds": wall seconds of fit_transform, "cpuSeconds": CPU seconds of the process over it (all
threads), "embedding": [[x, y], ...], "kl": final KL, "sklearn": version}.
scikit-learn defaults otherwise (perplexity 30, 1000 iterations, init='pca', angle 0.5,
learning_rate='auto'), n_jobs=-1 (all cores for the neighbour search; the Barnes-Hut gradient
uses all of OpenMP's threads anyway). Not a project dependency: Debian's python3-sklearn, used only to compare.
"""
import argparse
import json
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--perplexity", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--n-jobs", type=int, default=-1)
    a = ap.parse_args()
    with open(a.inp) as f:
        x = np.asarray(json.load(f), dtype=np.float32)
    kwargs = dict(n_components=2, perplexity=a.perplexity, init="pca", random_state=a.seed, n_jobs=a.n_jobs)
    # learning_rate='auto' is the default from 1.2 on; state it for older versions.
    kwargs["learning_rate"] = "auto"
    t0 = time.perf_counter()
    c0 = time.process_time()
    model = TSNE(**kwargs)
    y = model.fit_transform(x)
    seconds = time.perf_counter() - t0
    cpu_seconds = time.process_time() - c0
    with open(a.out, "w") as f:
        json.dump({"seconds": seconds, "cpuSeconds": cpu_seconds, "embedding": y.astype(float).tolist(),
                   "kl": float(model.kl_divergence_), "sklearn": sklearn.__version__}, f)
    print(f"sklearn {sklearn.__version__}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
