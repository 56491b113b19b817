/* weaponsref range explorer: the verdict rule, read from the table the library writes.
 *
 * The table is weaponsref.reach.rule_table() (weaponsref/reach/_rule.py), written into the
 * page's data (window.WEAPONSREF_EXPLORER.rule) when the docs are built. This file holds no
 * rule of its own: it only reads the table, as weaponsref.reach's verdict() and close() do,
 * so that the page and the library give the same verdicts. tests/test_explorer_rule.py runs
 * the same cases through both.
 *
 * A browser gets window.weaponsrefRule; node gets module.exports (require("./rule.js")).
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.weaponsrefRule = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var OPERATORS = {
    "<": function (a, b) { return a < b; },
    "<=": function (a, b) { return a <= b; },
  };

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function operator(name) {
    if (!has(OPERATORS, name)) throw new Error("the verdict rule names an unknown comparison “" + name + "”");
    return OPERATORS[name];
  }

  function lookup(values, name) {
    if (!has(values, name)) throw new Error("the verdict rule names an unknown value “" + name + "”");
    return values[name];
  }

  function length(name, value) {
    if (typeof value !== "number" || !isFinite(value) || value < 0) {
      throw new Error(name + " must be a finite number of metres, zero or more (got " + String(value) + ")");
    }
    return value;
  }

  function optionalLength(name, value) {
    return value === null || value === undefined ? null : length(name, value);
  }

  // The table's entry for a qualifier (null: a bare distance, with no claim).
  function entryFor(table, qualifier) {
    if (qualifier === null || qualifier === undefined) return table.bare;
    if (!has(table.qualifiers, qualifier)) {
      throw new Error("qualifier “" + String(qualifier) + "” is not one of " + Object.keys(table.qualifiers).join(", "));
    }
    return table.qualifiers[qualifier];
  }

  // The table's entry for what a figure measures (null or undefined: the default basis).
  function basisFor(table, basis) {
    var name = basis === null || basis === undefined ? table.default_basis : basis;
    if (!has(table.bases, name)) {
      throw new Error("basis “" + String(name) + "” is not one of " + Object.keys(table.bases).join(", "));
    }
    return table.bases[name];
  }

  // The verdict and the step that gave it: {status, step}. The steps are tried in order; a
  // step whose bound is null is passed over; the basis may give its own status for a step;
  // if none holds, the basis's or else the qualifier's "beyond" status.
  function decide(table, distanceM, rangeM, qualifier, minimumM, upperM, basis) {
    var entry = entryFor(table, qualifier);
    var byBasis = basisFor(table, basis);
    var values = {
      distance_m: length("distance_m", distanceM),
      range_m: length("range_m", rangeM),
      minimum_m: optionalLength("minimum_m", minimumM),
      upper_m: optionalLength("upper_m", upperM),
    };
    if (values.upper_m !== null && !entry.band) {
      throw new Error("upper_m is only for a band's lower end, not for qualifier “" + String(qualifier) + "”");
    }
    for (var i = 0; i < table.steps.length; i++) {
      var step = table.steps[i];
      var when = lookup(values, step.when), than = lookup(values, step.than);
      if (when !== null && than !== null && operator(step.is)(when, than)) {
        var own = has(byBasis, step.name) ? byBasis[step.name] : null;
        return { status: own || step.status, step: step.name };
      }
    }
    return { status: byBasis.beyond || entry.beyond, step: table.beyond };
  }

  // "reaches", "does not reach" or "not established"; weaponsref.reach.verdict.
  function verdict(table, distanceM, rangeM, qualifier, minimumM, upperM, basis) {
    return decide(table, distanceM, rangeM, qualifier, minimumM, upperM, basis).status;
  }

  // Which figure a verdict is decided by less than its own rounding (metres; a rounding or
  // minimum range of null is passed over): null, or {edge: "range" or "minimum range",
  // text: what the verdict is inside, in words, rounding: that figure's rounding}. The
  // table's close tests are tried in order; weaponsref.reach._rule's close_by().
  function closeBy(table, distanceM, rangeM, rounding, minimumM, minimumRounding) {
    var distance = length("distance_m", distanceM);
    var minimum = optionalLength("minimum_m", minimumM);
    var values = {
      margin_m: Math.abs(length("range_m", rangeM) - distance),
      rounding_m: optionalLength("rounding", rounding),
      minimum_margin_m: minimum === null ? null : Math.abs(distance - minimum),
      minimum_rounding_m: optionalLength("minimum_rounding", minimumRounding),
    };
    for (var i = 0; i < table.close.length; i++) {
      var test = table.close[i];
      var when = lookup(values, test.when), than = lookup(values, test.than);
      if (when !== null && than !== null && operator(test.is)(when, than)) {
        return { edge: test.edge, text: test.text, rounding: than };
      }
    }
    return null;
  }

  // Whether a figure's own rounding decides the verdict; weaponsref.reach's close().
  function close(table, distanceM, rangeM, rounding, minimumM, minimumRounding) {
    return closeBy(table, distanceM, rangeM, rounding, minimumM, minimumRounding) !== null;
  }

  return { decide: decide, verdict: verdict, close: close, closeBy: closeBy };
});
