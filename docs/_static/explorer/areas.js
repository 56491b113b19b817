/* weaponsref range explorer: areas as origins, measured as the library measures them.
 *
 * A port of weaponsref.geo.Area's distance (weaponsref/geo/_areas.py): an area is a polygon
 * or multipolygon whose edges are geodesics on WGS84 between its outline's vertices. The
 * distance from it to a point is 0 inside it; otherwise the geodesic distance to the nearest
 * point of its boundary, found on each nearby edge by golden-section search along the edge
 * (GeographicLib's Direct and Inverse), never by sampling. As the library does:
 *
 * - every ring counts for distances, however small (a ring of one repeated position, an islet
 *   in Natural Earth's outlines, is a point of the outline); rings of three or more positions
 *   bound the area;
 * - edges longer than 50 km are split along their geodesic, so that the distance along a
 *   piece from a point off it has one minimum;
 * - containment is even-odd over the rings, each drawn as straight longitude-latitude pieces
 *   of at most 1 km between points of its geodesic edges (a ring round a pole closed over
 *   it), a point on a ring counting as in it;
 * - the search: 64 golden-section steps on the fraction along the edge, then the least of the
 *   edge's start, the point found and its end.
 *
 * Which edges are searched differs in method but not in result: the library screens edges by
 * proven bounds on 3D segments; here an edge is searched unless the triangle inequality proves
 * it farther than a vertex already is ((d(A) + d(B) - length) / 2 is a lower bound of the
 * distance to any point of the edge AB).
 *
 * A ring round an area (buffer) is weaponsref.geo.Area.buffer_geometry's union of the area and
 * geodesic circles round points of its outline, made on the map's plane with polygon-clipping.
 *
 * Names are found as weaponsref.gazetteer.area finds them: the folded name (fold, as
 * gazetteer.js ports it) in the index areas-data.js holds (docs/_ext/weaponsref_explorer.py
 * writes it from the library's own name rules). Exposed as window.weaponsrefAreas.open(data,
 * basemap, fold, geodesic).
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.weaponsrefAreas = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var MAX_EDGE_M = 50000;
  var CONTAIN_STEP_M = 1000;
  var GOLDEN = (Math.sqrt(5) - 1) / 2;
  var SEARCH_STEPS = 64;
  // The longest text looked up as an area's name (weaponsref.gazetteer's _MAX_COUNTRY_NAME).
  var MAX_NAME = 200;

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  // Python's a % b for b > 0: never negative.
  function pmod(a, b) { return ((a % b) + b) % b; }

  function open(data, basemap, fold, geodesic) {
    var GEOD = geodesic.Geodesic.WGS84;
    var G = geodesic.Geodesic;
    var LATLON = G.LATITUDE | G.LONGITUDE;

    // Points equally spaced along the geodesic from (lon1, lat1) to (lon2, lat2), without the
    // ends: pyproj's Geod.npts, [lon, lat] each.
    function npts(lon1, lat1, lon2, lat2, n) {
      var line = GEOD.InverseLine(lat1, lon1, lat2, lon2, LATLON | G.DISTANCE_IN);
      var step = line.s13 / (n + 1), out = [];
      for (var i = 1; i <= n; i++) {
        var p = line.Position(i * step, LATLON);
        out.push([p.lon2, p.lat2]);
      }
      return out;
    }
    function length(lon1, lat1, lon2, lat2) {
      return GEOD.Inverse(lat1, lon1, lat2, lon2, G.DISTANCE).s12;
    }

    function polygonsOf(geometry) {
      if (geometry.type === "Polygon") return [geometry.coordinates];
      if (geometry.type === "MultiPolygon") return geometry.coordinates;
      return [];
    }

    // The area's outline (every ring with a position), its bounding rings (three or more
    // positions) and its centre (the mean of the largest ring's unit vectors, as Area.lat/lon).
    function Area(index, entry) {
      this.area = true;
      this.index = index;
      this.name = entry.name;
      this.label = entry.label;
      this.kind = entry.kind;
      this.source = entry.source;
      this.date = entry.date;
      this.details = entry.details;
      var said = [entry.source, entry.date].filter(Boolean);
      // weaponsref.geo.Area.description.
      this.description = said.length ? entry.label + " (" + said.join(", ") + ")" : entry.label;
      var geometry = has(entry, "basemap") ? basemap.features[entry.basemap].geometry : entry.geometry;
      this.geometry = geometry;
      this.polygons = polygonsOf(geometry);
      var outline = [];
      this.polygons.forEach(function (polygon) {
        polygon.forEach(function (ring) { if (ring.length >= 1) outline.push(ring); });
      });
      this.outline = outline;
      this.rings = outline.filter(function (ring) { return ring.length >= 3; });
      var largest = this.rings[0];
      this.rings.forEach(function (ring) { if (ring.length > largest.length) largest = ring; });
      var x = 0, y = 0, z = 0, rad = Math.PI / 180;
      largest.forEach(function (p) {
        var cl = Math.cos(p[1] * rad);
        x += cl * Math.cos(p[0] * rad); y += cl * Math.sin(p[0] * rad); z += Math.sin(p[1] * rad);
      });
      x /= largest.length; y /= largest.length; z /= largest.length;
      var norm = Math.sqrt(x * x + y * y + z * z);
      if (norm > 1e-9) {
        this.lat = Math.asin(Math.max(-1, Math.min(1, z / norm))) / rad;
        this.lon = Math.atan2(y, x) / rad;
      } else {
        this.lat = largest[0][1]; this.lon = largest[0][0];
      }
      this._edges = null;
      this._contain = null;
      this._measured = {};
    }

    // The edges, as weaponsref.geo.Area._build_edges makes them: each ring's vertex to the next
    // (the last to the first), zero-length ones left out, a ring with no width one point, and
    // edges longer than 50 km split along their geodesic. Each: a, b ([lon, lat]), azimuth
    // and length from a.
    Area.prototype.edges = function () {
      if (this._edges) return this._edges;
      var pieces = [];
      this.outline.forEach(function (ring) {
        var n = ring.length, lengths = [], any = false;
        for (var i = 0; i < n; i++) {
          var j = (i + 1) % n;
          lengths.push(length(ring[i][0], ring[i][1], ring[j][0], ring[j][1]));
          if (lengths[i] > 0) any = true;
        }
        if (!any) { pieces.push([ring[0], ring[0]]); return; }
        for (i = 0; i < n; i++) {
          if (lengths[i] === 0) continue;
          var next = ring[(i + 1) % n];
          var count = Math.ceil(lengths[i] / MAX_EDGE_M);
          var points = [ring[i]];
          if (count > 1) points = points.concat(npts(ring[i][0], ring[i][1], next[0], next[1], count - 1));
          points.push(next);
          for (var k = 0; k + 1 < points.length; k++) pieces.push([points[k], points[k + 1]]);
        }
      });
      this._edges = pieces.map(function (e) {
        var r = GEOD.Inverse(e[0][1], e[0][0], e[1][1], e[1][0], G.AZIMUTH | G.DISTANCE);
        return { a: e[0], b: e[1], azi: r.azi1, len: r.s12 };
      });
      return this._edges;
    };

    // The rings for containment (built once): straight longitude-latitude pieces of at most
    // 1 km between points of the geodesic edges, longitudes unwrapped, a ring round a pole
    // closed over it (Area._containment), with their bounds.
    Area.prototype.containment = function () {
      if (this._contain) return this._contain;
      this._contain = this.rings.map(function (ring) {
        var vertices = ring.slice();
        var first = vertices[0], last = vertices[vertices.length - 1];
        if (first[0] !== last[0] || first[1] !== last[1]) vertices.push(first);
        var lons = [first[0]], lats = [first[1]];
        for (var i = 0; i + 1 < vertices.length; i++) {
          var p = vertices[i], q = vertices[i + 1];
          var count = Math.ceil(length(p[0], p[1], q[0], q[1]) / CONTAIN_STEP_M);
          var points = count > 1 ? npts(p[0], p[1], q[0], q[1], count - 1) : [];
          points.push(q);
          points.forEach(function (point) {
            var step = pmod(point[0] - lons[lons.length - 1] + 180, 360) - 180;
            lons.push(lons[lons.length - 1] + step);
            lats.push(point[1]);
          });
        }
        var turn = lons[lons.length - 1] - lons[0];
        if (Math.abs(turn) > 180) {
          var mean = ring.reduce(function (s, point) { return s + point[1]; }, 0) / ring.length;
          var pole = mean > 0 ? 90 : -90;
          lons.push(lons[lons.length - 1], lons[0]);
          lats.push(pole, pole);
        }
        var box = [Infinity, Infinity, -Infinity, -Infinity];
        for (i = 0; i < lons.length; i++) {
          box[0] = Math.min(box[0], lons[i]); box[2] = Math.max(box[2], lons[i]);
          box[1] = Math.min(box[1], lats[i]); box[3] = Math.max(box[3], lats[i]);
        }
        return { lons: lons, lats: lats, box: box };
      });
      return this._contain;
    };

    // Whether (x, y) is in the closed ring (a point on it counts as in it).
    function inRing(part, x, y) {
      var b = part.box;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) return false;
      var lons = part.lons, lats = part.lats, n = lons.length, inside = false;
      for (var i = 0, j = n - 1; i < n; j = i++) {
        var xi = lons[i], yi = lats[i], xj = lons[j], yj = lats[j];
        // On the piece from j to i: the boundary counts as inside.
        var cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
        if (cross === 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) &&
            Math.min(yi, yj) <= y && y <= Math.max(yi, yj)) return true;
        if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
      }
      return inside;
    }

    // Area.contains for one point: even-odd over the rings, each tried a turn west and east.
    Area.prototype.contains = function (lat, lon) {
      var inside = false;
      this.containment().forEach(function (part) {
        if (inRing(part, lon - 360, lat) || inRing(part, lon, lat) || inRing(part, lon + 360, lat)) inside = !inside;
      });
      return inside;
    };

    // Area._edge_search for one point and one edge: [metres, lat, lon] of the nearest point.
    function edgeSearch(lat, lon, edge) {
      function dist(t) {
        var p = GEOD.Direct(edge.a[1], edge.a[0], edge.azi, t * edge.len, LATLON);
        return [GEOD.Inverse(lat, lon, p.lat2, p.lon2, G.DISTANCE).s12, p.lat2, p.lon2];
      }
      var lo = 0, hi = 1;
      var c = hi - GOLDEN * (hi - lo), d = lo + GOLDEN * (hi - lo);
      var fc = dist(c)[0], fd = dist(d)[0];
      for (var step = 0; step < SEARCH_STEPS; step++) {
        var left = fc < fd;
        if (left) hi = d; else lo = c;
        var newC = hi - GOLDEN * (hi - lo), newD = lo + GOLDEN * (hi - lo);
        var c2 = left ? newC : d, d2 = left ? c : newD;
        var fp = dist(left ? c2 : d2)[0];
        if (left) { fd = fc; fc = fp; } else { fc = fd; fd = fp; }
        c = c2; d = d2;
      }
      var found = [dist(0), dist(0.5 * (lo + hi)), dist(1)];
      var best = found[0];
      for (var k = 1; k < 3; k++) if (found[k][0] < best[0]) best = found[k];
      return best;
    }

    // Area.distance_m: {metres, lat, lon} with the nearest boundary point, or {metres: 0,
    // lat: null, lon: null, inside: true} inside the area. Remembered per point.
    Area.prototype.distance = function (lat, lon) {
      var key = lat + "," + lon;
      if (has(this._measured, key)) return this._measured[key];
      var found;
      if (this.contains(lat, lon)) {
        found = { metres: 0, lat: null, lon: null, inside: true };
      } else {
        var edges = this.edges();
        var fromA = [], fromB = [], upper = Infinity;
        edges.forEach(function (e, i) {
          fromA[i] = GEOD.Inverse(lat, lon, e.a[1], e.a[0], G.DISTANCE).s12;
          fromB[i] = GEOD.Inverse(lat, lon, e.b[1], e.b[0], G.DISTANCE).s12;
          upper = Math.min(upper, fromA[i], fromB[i]);
        });
        var best = null;
        edges.forEach(function (e, i) {
          if ((fromA[i] + fromB[i] - e.len) / 2 > upper) return;
          var r = edgeSearch(lat, lon, e);
          if (!best || r[0] < best[0]) best = r;
        });
        found = { metres: best[0], lat: best[1], lon: best[2], inside: false };
      }
      this._measured[key] = found;
      return found;
    };

    // The points within rangeM of the area, as weaponsref.geo.Area.buffer_geometry makes them
    // but on a screen: the union of the area and of geodesic circles round points of its
    // outline, in the plane of project (lon, lat -> [x, y]; a map projection), by union
    // (polygon-clipping's). The circles' centres are every edge's start and points along it
    // spaced so that the scallops between circles dip at most half of toleranceM below the
    // true edge; each circle has enough vertices (GeographicLib's Direct) for its chords to
    // sag at most the other half. Returns a MultiPolygon's coordinates on the screen.
    Area.prototype.buffer = function (rangeM, toleranceM, project, union) {
      var half = 0.5 * toleranceM;
      var scallop = Math.min(half, 0.5 * rangeM);
      var spacing = 2 * Math.sqrt(scallop * (2 * rangeM - scallop));
      var sag = Math.min(1, half / rangeM);
      var count = Math.max(16, Math.ceil(Math.PI / Math.acos(1 - sag)));
      var shapes = [];
      this.edges().forEach(function (e) {
        var pieces = Math.max(1, Math.ceil(e.len / spacing));
        var centres = [e.a];
        if (pieces > 1) centres = centres.concat(npts(e.a[0], e.a[1], e.b[0], e.b[1], pieces - 1));
        centres.forEach(function (c) {
          var ring = [];
          for (var k = 0; k < count; k++) {
            var p = GEOD.Direct(c[1], c[0], 360 * k / count, rangeM, LATLON);
            ring.push(project([p.lon2, p.lat2]));
          }
          ring = ring.filter(function (xy, i) { return !i || xy[0] !== ring[i - 1][0] || xy[1] !== ring[i - 1][1]; });
          if (ring.length < 3) return;
          ring.push(ring[0]);
          shapes.push([ring]);
        });
      });
      this.polygons.forEach(function (polygon) {
        var rings = polygon.filter(function (ring) { return ring.length >= 4; }).map(function (ring) {
          var out = ring.map(function (point) { return project(point); });
          return out.filter(function (xy, i) { return !i || xy[0] !== out[i - 1][0] || xy[1] !== out[i - 1][1]; });
        }).filter(function (ring) { return ring.length >= 4; });
        if (rings.length) shapes.push(rings);
      });
      // Joined in pairs, then pairs of pairs: polygon-clipping's sweep is sturdier on few
      // shapes at a time.
      while (shapes.length > 1) {
        var joined = [];
        for (var i = 0; i < shapes.length; i += 8) joined.push(union.apply(null, shapes.slice(i, i + 8)));
        shapes = joined;
      }
      return shapes.length ? shapes[0] : [];
    };

    var areas = data.areas.map(function (entry, i) { return new Area(i, entry); });
    var keys = data.keys;

    // The area a name finds, as weaponsref.gazetteer.area finds a built-in one, or null.
    function find(text) {
      text = String(text);
      if (text.length > MAX_NAME) return null;
      var key = fold(text);
      return key && has(keys, key) ? areas[keys[key]] : null;
    }

    // Areas with a name that starts with the folded text, then those with one that holds it;
    // each once, in the library's order (countries first).
    function search(text, limit) {
      var key = fold(String(text));
      if (!key) return [];
      var starts = [], holds = [], seen = {};
      Object.keys(keys).forEach(function (name) {
        var at = name.indexOf(key);
        if (at < 0) return;
        var a = areas[keys[name]];
        if (has(seen, a.index)) { if (at === 0 && seen[a.index] > 0) seen[a.index] = 0; else return; }
        else seen[a.index] = at === 0 ? 0 : 1;
      });
      Object.keys(seen).forEach(function (i) { (seen[i] === 0 ? starts : holds).push(areas[i]); });
      function order(a, b) { return a.index - b.index; }
      return starts.sort(order).concat(holds.sort(order)).slice(0, limit || 8);
    }

    return { areas: areas, find: find, search: search };
  }

  return { open: open };
});
