// The taxonomy (classes, types, statuses with Chinese names and the allowed
// next steps) and the unit tree of the signed-in user's scope, loaded once
// per sign-in and shared by every page.
import { api } from './api.js';

let cache = null;

export async function reference() {
  if (cache) return cache;
  const [taxonomy, units] = await Promise.all([api.get('/api/taxonomy'), api.get('/api/units?geometry=1')]);
  const classes = new Map(taxonomy.classes.map((c) => [c.code, c]));
  const types = new Map(taxonomy.types.map((t) => [t.code, t]));
  const statuses = new Map(taxonomy.statuses.map((s) => [s.code, s]));
  const unitList = units.items;
  const unitByCode = new Map(unitList.map((u) => [u.code, u]));
  cache = { taxonomy, classes, types, statuses, units: unitList, unitByCode };
  return cache;
}

export function forgetReference() {
  cache = null;
}

// Colours of incident classes on the map and in charts (readable on the
// dark wall and on white).
export const CLASS_COLOURS = {
  criminal: '#ff4d4f',
  public_order: '#faad14',
  traffic: '#40a9ff',
  disaster: '#ff7a45',
  dispute: '#b37feb',
  help: '#36cfc9',
  other: '#8c8c8c',
};

export function classColour(code) {
  return CLASS_COLOURS[code] || '#d9d9d9';
}
