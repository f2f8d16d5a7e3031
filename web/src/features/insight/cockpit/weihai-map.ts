import { registerMap } from 'echarts/core';

// A schematic map (示意图) of Weihai's four county-level divisions: no GeoJSON of Weihai ships
// offline, so these polygons are drawn by hand from a few coastal and border points. They place
// each division where it lies on the eastern tip of the Shandong peninsula and share their borders;
// they are not survey boundaries and must not be read as such.

type Point = [number, number];

// coast and outer border, clockwise from the north-west
const A: Point = [121.9, 37.46];
const B: Point = [121.84, 37.38];
const C: Point = [121.65, 37.2];
const D: Point = [121.4, 37.12];
const E: Point = [121.3, 36.95];
const F: Point = [121.38, 36.78];
const G: Point = [121.58, 36.82];
const H: Point = [121.85, 36.9];
const I: Point = [122.02, 36.95];
const J: Point = [122.15, 36.93];
const K: Point = [122.25, 36.92];
const L: Point = [122.38, 36.85];
const M: Point = [122.52, 36.92];
const N: Point = [122.58, 37.08];
const O: Point = [122.56, 37.22];
const P: Point = [122.7, 37.4];
const Q: Point = [122.55, 37.43];
const R: Point = [122.4, 37.42];
const S: Point = [122.3, 37.47];
const T: Point = [122.18, 37.53];
const U: Point = [122.05, 37.56];
const V: Point = [121.96, 37.5];
// inner borders
const W: Point = [122.24, 37.38];
const X: Point = [122.02, 37.33];
const Y: Point = [122.24, 37.15];
const Z: Point = [121.78, 37.05];

/** The map's name as registered with ECharts. */
export const WEIHAI_MAP = 'weihai-schematic';

/** The county-level divisions on the map, by region code, with where their label sits. */
export const DIVISIONS: { code: string; ring: Point[]; centre: Point }[] = [
  { code: '371002', ring: [A, V, U, T, S, W, X, B, A], centre: [122.1, 37.42] },
  { code: '371003', ring: [B, X, W, Y, K, J, I, H, Z, C, B], centre: [122.0, 37.13] },
  { code: '371082', ring: [W, S, R, Q, P, O, N, M, L, K, Y, W], centre: [122.42, 37.15] },
  { code: '371083', ring: [C, Z, H, G, F, E, D, C], centre: [121.55, 36.96] },
];

/** The functional zones, drawn as points inside the divisions that host them. */
export const ZONES: { code: string; at: Point }[] = [
  { code: '371071', at: [122.04, 37.5] },
  { code: '371072', at: [122.19, 37.45] },
  { code: '371073', at: [121.97, 37.27] },
];

let registered = false;

/** Registers the schematic map once; features are named by region code. */
export function registerWeihaiMap(): void {
  if (registered) return;
  registerMap(WEIHAI_MAP, {
    type: 'FeatureCollection',
    features: DIVISIONS.map((division) => ({
      type: 'Feature',
      properties: { name: division.code, cp: division.centre },
      geometry: { type: 'Polygon', coordinates: [division.ring] },
    })),
  } as unknown as Parameters<typeof registerMap>[1]);
  registered = true;
}
