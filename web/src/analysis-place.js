// Which unit a cell lies in: the deepest unit of the user's subtree whose
// boundary (GeoJSON Polygon or MultiPolygon) holds the cell's centre, so a
// forecast's cells read as "和平社区" rather than "150m:12:-34".

function inRing(ring, lon, lat) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(rings, lon, lat) {
  if (!rings.length || !inRing(rings[0], lon, lat)) return false;
  for (let k = 1; k < rings.length; k++) if (inRing(rings[k], lon, lat)) return false;
  return true;
}

function contains(geometry, lon, lat) {
  if (!geometry) return false;
  if (geometry.type === 'Polygon') return inPolygon(geometry.coordinates, lon, lat);
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.some((p) => inPolygon(p, lon, lat));
  return false;
}

// units: [{code, name, depth, boundary}] → (lat, lon) → name or ''.
export function placeNamer(units) {
  const withBoundary = units.filter((u) => u.boundary).sort((a, b) => b.depth - a.depth);
  return (lat, lon) => {
    const u = withBoundary.find((x) => contains(x.boundary, lon, lat));
    return u ? u.name : '';
  };
}
