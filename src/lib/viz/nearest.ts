/** Nearest-point lookup over interleaved 2-D points, backed by a d3 quadtree. */
import { quadtree, type Quadtree } from 'd3';

/** Finds the index of the point nearest (x, y) within `radius`, or -1. */
export interface PointIndex {
  find(x: number, y: number, radius?: number): number;
}

/**
 * Indexes points given as x0, y0, x1, y1, … (any array-like). `include(i)` can leave points out
 * (e.g. dimmed classes). Building is O(n log n); each lookup touches a few nodes.
 */
export function buildPointIndex(points: ArrayLike<number>, include?: (i: number) => boolean): PointIndex {
  const n = Math.floor(points.length / 2);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!include || include(i)) ids.push(i);
  }
  const tree: Quadtree<number> = quadtree<number>()
    .x((i) => points[2 * i]!)
    .y((i) => points[2 * i + 1]!)
    .addAll(ids);
  return {
    find(x, y, radius) {
      const hit = tree.find(x, y, radius);
      return hit === undefined ? -1 : hit;
    },
  };
}
