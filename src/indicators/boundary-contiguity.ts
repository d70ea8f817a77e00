import { compare, fromDouble, multiply, type Rational, subtract } from './exact.ts';

/** A GeoJSON Polygon's rings ([lon, lat] positions, first ring outer, the others holes). */
type Rings = readonly (readonly (readonly number[])[])[];
export type BoundaryGeometry =
  | { type: 'Polygon'; coordinates: Rings }
  | { type: 'MultiPolygon'; coordinates: readonly Rings[] };

type Point = readonly number[];
type Segment = readonly [Point, Point];

/** Sign of the cross product (b − a) × (c − a), computed exactly from the doubles' binary values. */
function orientation(a: Point, b: Point, c: Point): -1 | 0 | 1 {
  const [ax, ay, bx, by, cx, cy] = [a[0], a[1], b[0], b[1], c[0], c[1]].map((value) =>
    fromDouble(value ?? 0),
  ) as [Rational, Rational, Rational, Rational, Rational, Rational];
  const left = multiply(subtract(bx, ax), subtract(cy, ay));
  const right = multiply(subtract(by, ay), subtract(cx, ax));
  return compare(left, right);
}

const boxesOverlap = ([p1, p2]: Segment, [q1, q2]: Segment) =>
  Math.max(p1[0] ?? 0, p2[0] ?? 0) >= Math.min(q1[0] ?? 0, q2[0] ?? 0) &&
  Math.max(q1[0] ?? 0, q2[0] ?? 0) >= Math.min(p1[0] ?? 0, p2[0] ?? 0) &&
  Math.max(p1[1] ?? 0, p2[1] ?? 0) >= Math.min(q1[1] ?? 0, q2[1] ?? 0) &&
  Math.max(q1[1] ?? 0, q2[1] ?? 0) >= Math.min(p1[1] ?? 0, p2[1] ?? 0);

/** Closed segments meet: they cross, touch at a point, or overlap along a line (exact). */
function segmentsMeet(p: Segment, q: Segment): boolean {
  if (!boxesOverlap(p, q)) return false;
  const o1 = orientation(p[0], p[1], q[0]);
  const o2 = orientation(p[0], p[1], q[1]);
  const o3 = orientation(q[0], q[1], p[0]);
  const o4 = orientation(q[0], q[1], p[1]);
  // Collinear with overlapping boxes means the segments share at least a point.
  return o1 * o2 <= 0 && o3 * o4 <= 0;
}

const segmentsOf = (rings: Rings): Segment[] =>
  rings.flatMap((ring) => ring.slice(1).map((point, index) => [ring[index] as Point, point] as const));

/** Strictly inside a ring by ray casting (only asked once no edges meet, so never on the boundary). */
function insideRing(point: Point, ring: readonly Point[]): boolean {
  const [x, y] = [point[0] ?? 0, point[1] ?? 0];
  let inside = false;
  for (let index = 1; index < ring.length; index += 1) {
    const [ax, ay] = [ring[index - 1]?.[0] ?? 0, ring[index - 1]?.[1] ?? 0];
    const [bx, by] = [ring[index]?.[0] ?? 0, ring[index]?.[1] ?? 0];
    if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
  }
  return inside;
}

const insidePolygon = (point: Point, rings: Rings) =>
  insideRing(point, rings[0] ?? []) && !rings.slice(1).some((hole) => insideRing(point, hole));

/** Two polygons form one area when their edges share a point, or one lies within the other. */
function partsConnect(a: Rings, b: Rings): boolean {
  const segmentsOfB = segmentsOf(b);
  for (const segment of segmentsOf(a)) {
    if (segmentsOfB.some((other) => segmentsMeet(segment, other))) return true;
  }
  const firstOfA = a[0]?.[0];
  const firstOfB = b[0]?.[0];
  return (!!firstOfA && insidePolygon(firstOfA, b)) || (!!firstOfB && insidePolygon(firstOfB, a));
}

/**
 * How many separate areas a boundary is made of (集中连片 asks for one): the parts of a MultiPolygon
 * grouped by touching — parts sharing an edge or only a point are one area. Exact for touching, since a
 * drawn boundary's shared corners are the same coordinates.
 */
export function boundaryAreaCount(boundary: BoundaryGeometry): { parts: number; areas: number } {
  const parts = boundary.type === 'Polygon' ? [boundary.coordinates] : boundary.coordinates;
  const leader = parts.map((_, index) => index);
  const find = (index: number): number => {
    while (leader[index] !== index) index = leader[index] as number;
    return index;
  };
  for (let a = 0; a < parts.length; a += 1) {
    for (let b = a + 1; b < parts.length; b += 1) {
      if (find(a) === find(b)) continue;
      if (partsConnect(parts[a] as Rings, parts[b] as Rings)) leader[find(b)] = find(a);
    }
  }
  return { parts: parts.length, areas: new Set(parts.map((_, index) => find(index))).size };
}

/** The reason a boundary is not 集中连片, or null when it is one connected area. */
export function contiguityProblem(boundary: BoundaryGeometry): string | null {
  const { areas } = boundaryAreaCount(boundary);
  return areas > 1 ? `建设边界由${areas}块互不相连的区域组成，不符合集中连片要求` : null;
}
