/* weaponsref range explorer: places and coordinates, read as the command line reads them.
 *
 * window.weaponsrefGazetteer(G, inverse) opens the gazetteer that data.js holds
 * (WEAPONSREF_EXPLORER.gazetteer, written by docs/_ext/weaponsref_explorer.py: every place of
 * the library's built-in gazetteer and the source articles' places) and returns the page's
 * lookups. They are ports, rule for rule, of the library's:
 *
 * - fold: weaponsref._text.fold (the key a name is matched by);
 * - lookup: weaponsref.gazetteer.namesakes (weaponsref/gazetteer/_cities.py, _Opened.lookup):
 *   an article place first, then a place's own name over an alternate name over an airport's
 *   name without "Airport" over the city an airport serves over a code; at one tier a
 *   populated place over an airport over a section; then the most populous. ", CC" narrows
 *   to a country, "geonames:ID" names one place, "... air base" looks up airports;
 * - search: weaponsref.gazetteer.search_places, without its fuzzy tier;
 * - readPoint: the coordinate grammar of weaponsref/gazetteer/_coords.py (as_location for
 *   text): "45.3086N 36.5097E", "45.3086, 36.5097", "45°18′31″N 36°30′35″E",
 *   "45d18m31sN 36d30m35sE", "NAME=COORDINATES", with the same refusals, and the same warning
 *   when a pair of plain numbers looks swapped.
 * tests/test_explorer_places.py holds each to the library's answers.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------------ text

  // weaponsref._text.fold: casefold, NFKD, drop combining marks and what is not a letter or digit.
  var SPECIAL = { "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "ς": "σ" };
  function fold(text) {
    var lower = String(text).toLowerCase().replace(/[øłđßæœıς]/g, function (c) { return SPECIAL[c]; });
    return lower.normalize("NFKD").replace(/[^\p{L}\p{N}]/gu, "");
  }

  // Python's str.isspace() characters (what str.strip() and str.split() take away).
  var PY_SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var PY_STRIP = new RegExp("^[" + PY_SPACE + "]+|[" + PY_SPACE + "]+$", "g");
  var PY_SPLIT = new RegExp("[" + PY_SPACE + "]+");
  function strip(text) { return text.replace(PY_STRIP, ""); }
  function words(text) { return strip(text).split(PY_SPLIT).filter(Boolean); }
  // Python's len(): code points, not UTF-16 units.
  function length(text) { return Array.from(text).length; }
  function shorten(text) { return length(text) > 60 ? Array.from(text).slice(0, 59).join("") + "…" : text; }

  // The value of a Unicode decimal digit: digits come in runs of ten from a zero.
  function digitValue(ch) {
    var cp = ch.codePointAt(0), start = cp;
    while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
    return (cp - start) % 10;
  }

  // Python's float() of a str: spaces around, digits of any script, "_" between digits,
  // exponents, "inf", "infinity", "nan"; null where float() raises ValueError.
  var PY_NUMBER = /^[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$/;
  var PY_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
  var IS_SPACE = new RegExp("^[" + PY_SPACE + "]$");
  function pyFloat(text) {
    var ascii = "";
    Array.from(text).forEach(function (ch) {
      if (IS_SPACE.test(ch)) ascii += " ";
      else if (/\p{Nd}/u.test(ch)) ascii += String(digitValue(ch));
      else ascii += ch;
    });
    ascii = ascii.replace(/^ +| +$/g, "");
    if (PY_NUMBER.test(ascii)) return Number(ascii.replace(/_/g, ""));
    var special = PY_SPECIAL.exec(ascii);
    if (special) {
      if (special[2].toLowerCase() === "nan") return NaN;
      return special[1] === "-" ? -Infinity : Infinity;
    }
    return null;
  }

  // ------------------------------------------------------------------ coordinates

  var HOW = "give (latitude, longitude) in degrees";
  var FORMATS = "'50.45,30.5233', '-33.9 18.4', '45.3086N 36.5097E', '45°18′31″N 36°30′35″E' or " +
    "'45d18m31sN 36d30m35sE', latitude first; 'NAME=COORDINATES' names the point";
  var MAX_POINT_NAME = 100;

  // _coords._COORDINATES, with re.ASCII's \s and IGNORECASE (ASCII letters only, as a
  // JavaScript pattern without the u flag folds them). Groups per coordinate: hemisphere
  // letter before, sign, degrees, minutes, seconds, hemisphere letter after.
  var S = "[ \\t\\n\\r\\f\\v]";
  var NUMBER = "([0-9]{1,3}(?:\\.[0-9]{1,20})?)";
  var SMALL = "([0-9]{1,2}(?:\\.[0-9]{1,20})?)";
  var ONE = "(?:([NSEW])" + S + "*)?" + "([-+\\u2212])?" + NUMBER +
    "(?:" + S + "*(?:°|º|˚|d|deg)" +
      "(?:" + S + "*" + SMALL + S + "*(?:′|'|’|m|min)" +
        "(?:" + S + "*" + SMALL + S + "*(?:″|\"|”|''|′′|s|sec))?" +
      ")?" +
    ")?" +
    "(?:" + S + "*([NSEW]))?";
  var COORDINATES = new RegExp("^" + S + "*" + ONE + "(?:" + S + "*[,;]" + S + "*|" + S + "+)" + ONE + S + "*$", "i");
  // _coords._COORDINATE_LIKE (Unicode \s and case folding: ſ is an s, ı and İ are i).
  var COORDINATE_LIKE = new RegExp("^[-+\\u2212" + PY_SPACE + "0-9.,;°º˚′″'’”\"NSEWdmseginſıİ]+$", "i");
  var DIGIT = /[\p{Nd}\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792\u1369-\u1371\u19da]/u;
  var LETTER = /\p{L}/u;
  var UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;

  function CoordinateError(message) { this.message = message; }

  function pyRepr(text) {
    // Python's repr of a str, near enough to name the text in a message.
    return text.indexOf("'") >= 0 && text.indexOf('"') < 0 ? '"' + text + '"' : "'" + text.replace(/'/g, "\\'") + "'";
  }

  function degreesProblem(value, word, limit) {
    if (typeof value !== "number" || isNaN(value)) return word + " " + value + " is not a number";
    if (!isFinite(value) || Math.abs(value) > limit) return word + " " + value + " is outside [-" + limit + ", " + limit + "]";
    return null;
  }

  // _coords._point: a point, or the error naming the coordinate out of range.
  function point(lat, lon, text) {
    var problem = degreesProblem(lat, "latitude", 90);
    if (problem) {
      problem += "; " + HOW;
      if (!degreesProblem(lon, "", 90) && !degreesProblem(lat, "", 180)) {
        problem += ", latitude first: these look like (longitude, latitude)";
      }
    } else {
      problem = degreesProblem(lon, "longitude", 180);
      if (problem) problem += "; " + HOW;
    }
    if (problem) throw new CoordinateError(pyRepr(text) + ": " + problem);
    return { lat: lat, lon: lon };
  }

  // _coords._one_coordinate: signed decimal degrees and the hemisphere letter (or null).
  function oneCoordinate(m, at, text) {
    var pre = m[at], sign = m[at + 1], deg = m[at + 2], min = m[at + 3], sec = m[at + 4], post = m[at + 5];
    var quoted = pyRepr(shorten(text));
    if (pre && post) {
      throw new CoordinateError(quoted + ": a coordinate has two hemisphere letters (" + pre + ", " + post + "); give one, e.g. '45.3086N 36.5097E'");
    }
    var letter = (pre || post || "").toUpperCase() || null;
    if (letter && sign) {
      throw new CoordinateError(quoted + ": a coordinate has both a sign and a hemisphere letter; give one, e.g. '-33.9,18.4' or '33.9S 18.4E'");
    }
    var degrees = Number(deg);
    [[min, "minutes"], [sec, "seconds"]].forEach(function (part) {
      if (part[0] !== undefined && Number(part[0]) >= 60) {
        throw new CoordinateError(quoted + ": " + part[1] + " " + part[0] + " is not below 60; give " + FORMATS);
      }
    });
    if (min !== undefined && deg.indexOf(".") >= 0) {
      throw new CoordinateError(quoted + ": degrees with decimals and minutes too; give whole degrees with minutes and seconds, or decimal degrees alone");
    }
    degrees += Number(min || 0) / 60 + Number(sec || 0) / 3600;
    var negative = sign === "-" || sign === "\u2212" || letter === "S" || letter === "W";
    return [negative ? -degrees : degrees, letter];
  }

  // _coords._point_from_text: {lat, lon, lettered}, null when the text is not written as
  // coordinates, or a CoordinateError thrown.
  function pointFromText(text) {
    if (length(text) > 200) return null;
    var m = COORDINATES.exec(text);
    if (!m) {
      // Anything else float() reads ('5e1,30', 'nan,30'): a point, or an error naming it.
      var parts = text.split(",");
      if (parts.length !== 2) return null;
      var lat = pyFloat(parts[0]), lon = pyFloat(parts[1]);
      if (lat === null || lon === null) return null;
      var p = point(lat, lon, text);
      p.lettered = false;
      return p;
    }
    var first = oneCoordinate(m, 1, text), second = oneCoordinate(m, 7, text);
    var lettered = first[1] !== null || second[1] !== null;
    var a = first[0], b = second[0];
    if (lettered) {
      var quoted = pyRepr(shorten(text));
      if (first[1] === null || second[1] === null) {
        throw new CoordinateError(quoted + ": give a hemisphere letter on both coordinates or on neither, e.g. '45.3086N 36.5097E'");
      }
      var latitudes = ("NS".indexOf(first[1]) >= 0 ? 1 : 0) + ("NS".indexOf(second[1]) >= 0 ? 1 : 0);
      if (latitudes !== 1) {
        throw new CoordinateError(quoted + ": both coordinates are " + (latitudes === 2 ? "latitudes (N or S)" : "longitudes (E or W)") +
          "; give one latitude and one longitude, e.g. '45.3086N 36.5097E'");
      }
      if (first[1] === "E" || first[1] === "W") { var t = a; a = b; b = t; }
    }
    var found = point(a, b, text);
    found.lettered = lettered;
    return found;
  }

  // _records._point_name_problem, for "NAME=COORDINATES".
  function pointNameProblem(name) {
    if (!strip(name)) return "a point's name " + pyRepr(name) + " is blank; give a name such as 'Kerch bridge', or None";
    if (length(name) > MAX_POINT_NAME) return "a point's name is " + length(name).toLocaleString("en-US") + " characters long; give at most " + MAX_POINT_NAME;
    if (UNPRINTABLE.test(name)) return "a point's name " + pyRepr(shorten(name)) + " holds control characters";
    return null;
  }

  // _records.Point.coordinates: '45.3086°N, 36.5097°E'. Python's format rounds the double's
  // exact value half to even; toFixed rounds the exact value too (ties are exact binary
  // fractions, which four decimals of a degree rarely are).
  function coordinatesLabel(lat, lon) {
    return Math.abs(lat).toFixed(4) + "°" + (lat >= 0 ? "N" : "S") + ", " +
      Math.abs(lon).toFixed(4) + "°" + (lon >= 0 ? "E" : "W");
  }

  // ------------------------------------------------------------------ the gazetteer

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var DIGIT_VALUE = {};
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS[d]] = d;
  function number(text) {
    var value = 0;
    for (var i = 0; i < text.length; i++) value = value * 64 + DIGIT_VALUE[text[i]];
    return value;
  }

  var KINDS = ["city", "airport", "section", "former"];
  var TIERS = 5; // own name, alternate name, airport name, served city, code (best first)
  var SHIFT = 262144; // 2**18: a reference is tier * SHIFT + the place's index
  // _cities._COUNTRY_SUFFIX, with Python's \s and \S.
  var COUNTRY_SUFFIX = new RegExp("^([\\s\\S]*[^" + PY_SPACE + "])[" + PY_SPACE + "]*,[" + PY_SPACE + "]*([A-Za-z]{2})[" + PY_SPACE + "]*$");
  var GEONAMES_ID = new RegExp("^[" + PY_SPACE + "]*geonames[" + PY_SPACE + "]*:[" + PY_SPACE + "]*([0-9]{1,12})[" + PY_SPACE + "]*$", "i");
  var AERODROME = { airport: 1, airbase: 1, airfield: 1, aerodrome: 1, ab: 1, afb: 1 };
  var MAX_PLACE_NAME = 250;
  var GEONAMES_PAGE = "https://www.geonames.org/";
  var SWAP_POPULATION = 15000, SWAP_METRES = 25000;

  function UnknownPlace(message) { this.message = message; }

  function open(G, inverse) {
    if (G.count >= SHIFT) throw new Error("the page's gazetteer holds more places than it can index");
    var names = G.names.split("\n");
    var populations = G.populations.split(",");
    var ids = G.ids.split(",");
    var codes = G.codes.split(",");
    var regions = G.regions.split(",");
    var listedSmall = new Set(G.listed_small.split(",").filter(Boolean).map(number));
    var countries = new Set();
    for (var c = 0; c < G.countries.length; c += 2) countries.add(G.countries.substr(c, 2));

    // Folded name -> what it finds: a place's index (its own ASCII name), or a tier's digit
    // and the places' indexes as data.js writes them (read when the key is looked up), or a
    // list of those. Made lazily, the page opens in a fraction of the time.
    var KEYS = new Map();
    function add(key, value) {
      var held = KEYS.get(key);
      if (held === undefined) KEYS.set(key, value);
      else if (Array.isArray(held)) held.push(value);
      else KEYS.set(key, [held, value]);
    }
    G.keys.forEach(function (text, tier) {
      if (!text) return;
      var before = "";
      text.split(" ").forEach(function (entry) {
        var colon = entry.indexOf(":");
        var key = before.slice(0, DIGIT_VALUE[entry[0]]) + entry.slice(1, colon);
        add(key, tier + entry.slice(colon + 1));
        before = key;
      });
    });
    // A place's own ASCII name is keyed here: lower case, letters and digits (the library's
    // fold of ASCII text; data.js leaves these keys out).
    for (var i = 0; i < names.length; i++) {
      if (/^[\x00-\x7f]*$/.test(names[i])) add(names[i].toLowerCase().replace(/[^a-z0-9]/g, ""), i);
    }
    // References (tier * SHIFT + index) of what a key finds.
    function refsOf(key) {
      var held = KEYS.get(key);
      if (held === undefined) return [];
      var out = [];
      (Array.isArray(held) ? held : [held]).forEach(function (value) {
        if (typeof value === "number") { out.push(value); return; }
        var tier = DIGIT_VALUE[value[0]] * SHIFT;
        value.slice(1).split(",").forEach(function (ref) { out.push(tier + number(ref)); });
      });
      return out;
    }

    // The article places, found first by their names and aliases (the first to hold a key).
    var ARTICLES = G.articles.map(function (row, rank) {
      return {
        name: row[0], country: row[1], lat: row[2], lon: row[3], population: row[4] || null,
        keys: row[5] ? row[5].split(" ") : [], source: row[6], address: row[7],
        kind: row[8], code: row[9], region: row[10], article: true, rank: rank,
      };
    });
    var ARTICLE_INDEX = new Map();
    ARTICLES.forEach(function (a) {
      a.keys.forEach(function (k) { if (!ARTICLE_INDEX.has(k)) ARTICLE_INDEX.set(k, a); });
    });
    var STAND_INS = new Map();
    G.stand_ins.split(",").filter(Boolean).forEach(function (pair) {
      var parts = pair.split(":");
      STAND_INS.set(number(parts[0]), ARTICLES[number(parts[1])]);
    });

    var made = [];
    function kindOf(index) { return Number(G.kinds[index]); }
    function countryOf(index) { return G.countries_of.substr(2 * index, 2); }
    // The place of a database row, the same object every time; an article place for a row
    // it stands in for.
    function city(index) {
      var standIn = STAND_INS.get(index);
      if (standIn) return standIn;
      if (made[index]) return made[index];
      var at = 10 * index;
      var kind = kindOf(index);
      var id = ids[index] ? number(ids[index]) : null;
      var code = codes[index] || null;
      var population = kind === 1 ? null : number(populations[index]);
      var region = regions[index] ? G.region_names[number(regions[index]) - 1] || null : null;
      var p = {
        name: names[index], country: countryOf(index),
        lat: (number(G.coordinates.substr(at, 5)) - 90000000) / 1000000,
        lon: (number(G.coordinates.substr(at + 5, 5)) - 180000000) / 1000000,
        population: population, kind: KINDS[kind], code: code, region: region, geonameid: id,
        source: kind === 1 ? G.airports_source + code : G.source + id,
        address: kind === 1 ? null : GEONAMES_PAGE + id,
        article: false, index: index,
        listed: kind === 0 && (population >= SWAP_POPULATION || listedSmall.has(index)),
      };
      made[index] = p;
      return p;
    }

    // _Opened.hits: the rows a key finds (in a country), best first: by tier, then by kind,
    // population and GeoNames id, which is the rows' order in data.js.
    function hits(key, country) {
      var refs = refsOf(key);
      if (country) refs = refs.filter(function (r) { return countryOf(r % SHIFT) === country; });
      return refs.slice().sort(function (a, b) { return a - b; });
    }

    // _Opened.best: the places a key fits best (in a country, of a kind), the chosen first.
    function best(key, country, kind) {
      var article = ARTICLE_INDEX.get(key);
      if (article && (kind === null || kind === article.kind) && (country === null || country === article.country)) return [article];
      var found = hits(key, country);
      if (kind !== null) found = found.filter(function (r) { return KINDS[kindOf(r % SHIFT)] === kind; });
      if (!found.length) return [];
      var tier = Math.floor(found[0] / SHIFT), firstKind = kindOf(found[0] % SHIFT);
      var out = [];
      found.forEach(function (r) {
        if (Math.floor(r / SHIFT) !== tier || kindOf(r % SHIFT) !== firstKind) return;
        var p = city(r % SHIFT);
        if (out.indexOf(p) < 0) out.push(p);
      });
      return out;
    }

    var BY_ID = null;
    function byId(geonameid, kind) {
      if (!BY_ID) {
        BY_ID = new Map();
        ids.forEach(function (text, index) { if (text) BY_ID.set(number(text), index); });
      }
      var index = BY_ID.get(geonameid);
      if (index === undefined || (kind !== null && KINDS[kindOf(index)] !== kind)) return [];
      return [city(index)];
    }

    function splitCountry(name) {
      var m = COUNTRY_SUFFIX.exec(name);
      return m ? [m[1], m[2].toUpperCase()] : [name, null];
    }

    function aerodromeStem(name) {
      var w = name.split(PY_SPLIT).filter(Boolean);
      for (var count = 2; count >= 1; count--) {
        if (w.length > count && has(AERODROME, fold(w.slice(-count).join(" ")))) return w.slice(0, -count).join(" ");
      }
      return null;
    }
    function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }

    // _Opened.lookup: the places a name fits best, the chosen one first, or UnknownPlace.
    function lookup(name) {
      if (length(name) > MAX_PLACE_NAME) throw new UnknownPlace("no place named " + pyRepr(shorten(name)));
      var id = GEONAMES_ID.exec(name);
      if (id) {
        var one = byId(Number(id[1]), null);
        if (!one.length) throw new UnknownPlace("no place with GeoNames id " + id[1] + " on this page");
        return one;
      }
      var split = splitCountry(name), base = split[0], country = split[1];
      var found = [];
      if (countries.has(country)) found = best(fold(base), country, null);
      if (!found.length) {
        base = name; country = null;
        found = best(fold(name), null, null);
      }
      var stem = aerodromeStem(base);
      if (!found.length && stem !== null) found = best(fold(stem), country, "airport");
      if (!found.length) {
        var suggested = search(splitCountry(name)[0], 3).map(qualifiedName);
        throw new UnknownPlace("no place named " + pyRepr(shorten(name)) + " on this page" +
          (suggested.length ? "; did you mean " + suggested.join(" or ") + "?" : ""));
      }
      return found;
    }

    // The keys, sorted, for names that start with a text (made at the first search).
    var SORTED = null;
    function startingWith(key) {
      if (!SORTED) SORTED = Array.from(KEYS.keys()).sort();
      var lo = 0, hi = SORTED.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (SORTED[mid] < key) lo = mid + 1; else hi = mid; }
      var out = [];
      for (var k = lo; k < SORTED.length && SORTED[k].lastIndexOf(key, 0) === 0; k++) out.push(SORTED[k]);
      return out;
    }

    // _Opened.prefixed: article places by name, then places by their own name, then by
    // another name; each group listed cities first, then by kind and population.
    function prefixed(key, country, limit) {
      var articles = ARTICLES.filter(function (a) {
        return (country === null || a.country === country) && a.keys.some(function (k) { return k.lastIndexOf(key, 0) === 0; });
      }).sort(function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; });
      var own = [], other = [];
      startingWith(key).forEach(function (k) {
        refsOf(k).forEach(function (r) {
          var index = r % SHIFT;
          if (country !== null && countryOf(index) !== country) return;
          (r < SHIFT ? own : Math.floor(r / SHIFT) === 1 ? other : []).push(index);
        });
      });
      function rank(a, b) {
        var la = city(a).listed ? 0 : 1, lb = city(b).listed ? 0 : 1;
        return la - lb || a - b;
      }
      own = Array.from(new Set(own)).sort(rank).slice(0, limit);
      other = Array.from(new Set(other)).filter(function (i) { return own.indexOf(i) < 0; }).sort(rank).slice(0, limit);
      return articles.concat(own.map(city), other.map(city));
    }

    // _Opened.candidates: the places a key names at some tiers, best first.
    function candidates(key, country, tiers) {
      var out = [];
      var article = ARTICLE_INDEX.get(key);
      if (article && (country === null || country === article.country) && tiers.indexOf(0) >= 0) out.push(article);
      hits(key, country).forEach(function (r) {
        var p = city(r % SHIFT);
        if (p !== article && tiers.indexOf(Math.floor(r / SHIFT)) >= 0) out.push(p);
      });
      return out;
    }

    // weaponsref.gazetteer.search_places without the fuzzy tier: up to limit places, best first.
    function search(query, limit) {
      if (length(query) > MAX_PLACE_NAME || !limit) return [];
      var id = GEONAMES_ID.exec(query);
      if (id) return byId(Number(id[1]), null).slice(0, limit);
      var split = splitCountry(query), base = split[0], country = split[1];
      if (!countries.has(country)) { base = query; country = null; }
      var key = fold(base);
      if (!key) return [];
      var found = [];
      var tiers = [
        function () { return candidates(key, country, [0, 1, 2]); },
        function () { return prefixed(key, country, limit); },
        function () { return candidates(key, country, [3, 4]); },
      ];
      for (var t = 0; t < tiers.length; t++) {
        var list = tiers[t]();
        for (var k = 0; k < list.length; k++) {
          if ((country === null || list[k].country === country) && found.indexOf(list[k]) < 0) found.push(list[k]);
          if (found.length === limit) return found;
        }
      }
      return found;
    }

    // Place.qualified_name: "Pokrovsk, Donetsk, UA", "Engels Airbase (XWSG), RU".
    function qualifiedName(p) {
      var name = p.code ? p.name + " (" + p.code + ")" : p.name;
      if (!p.region || fold(p.region).lastIndexOf(fold(p.name), 0) === 0) return name + ", " + p.country;
      return name + ", " + p.region + ", " + p.country;
    }

    // Place.reference: a text that names this place alone.
    function reference(p) {
      if (p.address && p.address.lastIndexOf(GEONAMES_PAGE, 0) === 0) return "geonames:" + p.address.slice(GEONAMES_PAGE.length);
      return p.code || p.name;
    }

    // _coords._near_city: the most populous place of 15,000+ people within 25 km, or null.
    var BIG = null;
    function nearCity(lat, lon) {
      for (var a = 0; a < ARTICLES.length; a++) {
        var article = ARTICLES[a];
        if ((article.population || 0) >= SWAP_POPULATION && inverse(lat, lon, article.lat, article.lon) <= SWAP_METRES) return article;
      }
      if (!BIG) {
        BIG = [];
        for (var i = 0; i < names.length; i++) {
          if (kindOf(i) === 0 && number(populations[i]) >= SWAP_POPULATION) BIG.push(i);
        }
      }
      var dlat = 0.25;
      var dlon = Math.min(180, 0.25 / Math.max(Math.cos(Math.min(Math.abs(lat) + dlat, 90) * Math.PI / 180), 1e-6));
      var found = null;
      BIG.forEach(function (index) {
        var at = 10 * index;
        var plat = (number(G.coordinates.substr(at, 5)) - 90000000) / 1000000;
        if (plat < lat - dlat || plat > lat + dlat) return;
        var plon = (number(G.coordinates.substr(at + 5, 5)) - 180000000) / 1000000;
        if (plon < lon - dlon || plon > lon + dlon) return;
        if (inverse(lat, lon, plat, plon) <= SWAP_METRES && (found === null || number(populations[index]) > number(populations[found]))) found = index;
      });
      return found === null ? null : city(found);
    }

    // _coords._warn_if_swapped: the warning, or null.
    function swapWarning(p, text) {
      if (Math.abs(p.lon) > 90 || p.lat === p.lon) return null;
      var swapped = nearCity(p.lon, p.lat);
      if (!swapped || nearCity(p.lat, p.lon)) return null;
      return pyRepr(shorten(text)) + " is " + coordinatesLabel(p.lat, p.lon) + ", over 25 km from any city of 15,000+; " +
        "read as (longitude, latitude) it is near " + swapped.name + ", " + swapped.country +
        ". Latitude comes first: give '" + p.lon + "," + p.lat + "' if you meant " + swapped.name;
    }

    // as_location for text: a point ({point: true, ...}), the places a name fits
    // ({places: [...]}, the chosen first), or {error}.
    function read(text) {
      try {
        var eq = text.lastIndexOf("=");
        if (eq >= 0) {
          var name = strip(text.slice(0, eq)), problem = pointNameProblem(name);
          if (problem) throw new CoordinateError(pyRepr(shorten(text)) + ": " + problem);
          var named = pointFromText(text.slice(eq + 1));
          if (!named) throw new CoordinateError(pyRepr(shorten(text)) + ": after '=' give coordinates such as " + FORMATS);
          return {
            point: true, lat: named.lat, lon: named.lon, name: name, text: name + "=" + named.lat + ", " + named.lon,
            warning: named.lettered ? null : swapWarning(named, text.slice(eq + 1)),
          };
        }
        var p = pointFromText(text);
        if (p) {
          return {
            point: true, lat: p.lat, lon: p.lon, name: coordinatesLabel(p.lat, p.lon), text: p.lat + ", " + p.lon,
            warning: p.lettered ? null : swapWarning(p, text),
          };
        }
        var chars = Array.from(text);
        if (COORDINATE_LIKE.test(text) && chars.some(function (ch) { return DIGIT.test(ch); })) {
          throw new CoordinateError(pyRepr(shorten(text)) + " is neither a place name nor coordinates; give " + FORMATS);
        }
        if (!chars.some(function (ch) { return LETTER.test(ch); })) {
          throw new CoordinateError(pyRepr(shorten(text)) + " is neither a place name nor 'latitude,longitude'; give " + FORMATS);
        }
        return { places: lookup(text) };
      } catch (e) {
        if (e instanceof CoordinateError || e instanceof UnknownPlace) return { error: e.message };
        throw e;
      }
    }

    return {
      read: read, lookup: lookup, search: search, qualifiedName: qualifiedName, reference: reference,
      count: names.length + ARTICLES.length, articles: ARTICLES.length,
    };
  }

  window.weaponsrefGazetteer = {
    open: open, fold: fold, pointFromText: pointFromText, coordinatesLabel: coordinatesLabel,
    CoordinateError: CoordinateError, FORMATS: FORMATS,
  };
})();
