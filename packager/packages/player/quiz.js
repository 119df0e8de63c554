/* quiz.js: the player's pure logic. No DOM and no LMS here, so `node --test tests/player`
 * can test it: delivery plan (section picks, choice shuffling), scoring, totals and pass/fail,
 * the suspend-data codec, and the SCORM 1.2 / 2004 response formats of each question type.
 *
 * Responses, one per delivered question (null = not answered):
 *   single_choice      choice index (authored order)          2
 *   multiple_response  sorted choice indices                  [0, 1]
 *   true_false         boolean                                true
 *   short_answer, numeric, essay   the typed text             "barista"
 *   matching           option index per pair, -1 = none       [1, 0, -1]
 *   ordering           item indices in the learner's order    [2, 0, 1, 3]
 *   fill_in_blanks     text per blank (bank order)            ["steamed", "small"]
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.PackagerQuiz = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var SUSPEND_VERSION = "1";
  var LIMIT_12 = 4096;
  var LIMIT_2004 = 64000;
  // SCORM 1.2 choice, matching and sequencing responses are single characters from 0-9, a-z.
  // Letters first, so the first choice is "a" as learners and reports expect.
  var ALPHABET_12 = "abcdefghijklmnopqrstuvwxyz0123456789";
  // Suspend data packs small indices as one character each (62 of them, then a fallback).
  var ALPHABET_62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  // ---------------------------------------------------------------- seeded randomness
  function hash32(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function prng(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffled(list, random) {
    var out = list.slice();
    for (var i = out.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var tmp = out[i];
      out[i] = out[j];
      out[j] = tmp;
    }
    return out;
  }

  function range(n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(i);
    return out;
  }

  /* The learner's version of the quiz: which questions (section picks), choice order
   * (shuffle with pinned choices kept in place) and the starting order of ordering items
   * (never already correct). Everything follows from the bank and one seed, so only the
   * seed needs to be stored to resume. */
  function plan(data, seed) {
    var order = [];
    data.sections.forEach(function (section) {
      var ids = section.questions.slice();
      if (section.pick && section.pick < ids.length) {
        var random = prng(seed ^ hash32("pick:" + section.id));
        var chosen = shuffled(ids, random).slice(0, section.pick);
        ids = ids.filter(function (i) { return chosen.indexOf(i) >= 0; });
      }
      order = order.concat(ids);
    });
    var choiceOrder = {};
    var itemOrder = {};
    order.forEach(function (qi) {
      var q = data.questions[qi];
      var random = prng(seed ^ hash32(q.id));
      if (q.choices) {
        var natural = range(q.choices.length);
        if (q.shuffle) {
          var free = natural.filter(function (i) { return !q.choices[i].pinned; });
          var mixed = shuffled(free, random);
          choiceOrder[qi] = natural.map(function (i) {
            return q.choices[i].pinned ? i : mixed.shift();
          });
        } else {
          choiceOrder[qi] = natural;
        }
      }
      if (q.type === "ordering") {
        var items = shuffled(range(q.items.length), random);
        if (items.every(function (v, i) { return v === i; })) {
          items.push(items.shift()); // never start in the correct order
        }
        itemOrder[qi] = items;
      }
    });
    return { order: order, choiceOrder: choiceOrder, itemOrder: itemOrder };
  }

  // ---------------------------------------------------------------- answers and scoring
  function normalize(text, caseSensitive) {
    var t = String(text == null ? "" : text);
    if (t.normalize) t = t.normalize("NFC");
    t = t.trim();
    return caseSensitive ? t : t.toLowerCase();
  }

  // How the quiz's language writes a decimal: "," (de, fr, …) or "." (en, …), from the
  // browser's own locale data. The page (player or preview) sets it once for its bank.
  var decimalMark = ".";
  var language = "en";

  function setLanguage(lang) {
    language = lang || "en";
    decimalMark = ".";
    try {
      new Intl.NumberFormat(lang || "en").formatToParts(1.5).forEach(function (part) {
        if (part.type === "decimal") decimalMark = part.value;
      });
    } catch (e) {
      decimalMark = "."; // a language tag the browser does not know, or no Intl
    }
  }

  // Thousands as the language groups them; a first group of 0 ("0,125") is no group.
  var GROUPED_BY_COMMAS = /^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?$/;
  var GROUPED_BY_DOTS = /^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d*)?$/;

  // A number as learners type it: "13.25", "-2", ".5", "1e3", "13,25" (decimal comma), and
  // grouped in thousands as the quiz's language writes them: "10,000" and "1,000.5" where it
  // writes a decimal point, "10.000" and "1.000,5" where a decimal comma. "10,000" is ten
  // thousand in English and ten in German: read as the bank's language reads it.
  function parseNumber(text) {
    var t = String(text == null ? "" : text).trim().replace(/\s+/g, "");
    if (decimalMark === ",") {
      if (GROUPED_BY_DOTS.test(t)) t = t.replace(/\./g, "");
    } else if (GROUPED_BY_COMMAS.test(t)) {
      t = t.replace(/,/g, "");
    }
    if (t.indexOf(",") >= 0 && t.indexOf(".") < 0 && t.split(",").length === 2) {
      t = t.replace(",", ".");
    }
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return null;
    var value = Number(t);
    return isFinite(value) ? value : null;
  }

  // Floating-point slack so that 13.2 is within 13.25 ± 0.05: relative to the numbers
  // compared, never a fixed amount, which would accept 0 for a key of 6.626e-34 ± 0.001e-34,
  // and a few units in the last place, as binary rounding errs: 1e-9 of them took
  // 1073741825 for the exact key 1073741824 (Moodle allows 1e-14 of the key).
  function slack(size) {
    return 4 * Number.EPSILON * Math.abs(size);
  }

  function isAnswered(q, response) {
    if (response === null || response === undefined) return false;
    switch (q.type) {
      case "single_choice":
        return typeof response === "number";
      case "true_false":
        return typeof response === "boolean";
      case "multiple_response":
        return response.length > 0;
      case "short_answer":
      case "essay":
        return String(response).trim() !== "";
      case "numeric":
        return String(response).trim() !== "";
      case "matching":
        return response.some(function (v) { return v >= 0; });
      case "ordering":
        return response.length === q.items.length;
      case "fill_in_blanks":
        return response.some(function (v) { return String(v).trim() !== ""; });
      default:
        return false;
    }
  }

  function credit(q, response) {
    switch (q.type) {
      case "single_choice":
        return q.choices[response] && q.choices[response].correct ? 1 : 0;
      case "true_false":
        return response === q.answer ? 1 : 0;
      case "multiple_response": {
        var correctCount = q.choices.filter(function (c) { return c.correct; }).length;
        var right = 0;
        var wrong = 0;
        response.forEach(function (i) {
          if (q.choices[i] && q.choices[i].correct) right += 1;
          else wrong += 1;
        });
        if (q.scoring === "partial") {
          return Math.max(0, (right - wrong) / correctCount);
        }
        return right === correctCount && wrong === 0 ? 1 : 0;
      }
      case "short_answer":
        return q.answers.some(function (a) {
          return normalize(response, a.case_sensitive) === normalize(a.text, a.case_sensitive);
        }) ? 1 : 0;
      case "numeric": {
        var value = parseNumber(response);
        if (value === null) return 0;
        if (q.min !== undefined && q.min !== null) {
          return value >= q.min - slack(q.min) && value <= q.max + slack(q.max) ? 1 : 0;
        }
        var tolerance = q.tolerance || 0;
        return Math.abs(value - q.value) <= tolerance + slack(Math.abs(q.value) + tolerance) ? 1 : 0;
      }
      case "matching": {
        // Proportional: each pair matched right earns points / number of pairs.
        var good = 0;
        q.pairs.forEach(function (pair, i) {
          if (response[i] === pair.match) good += 1;
        });
        return good / q.pairs.length;
      }
      case "ordering":
        return response.every(function (v, i) { return v === i; }) ? 1 : 0;
      case "fill_in_blanks": {
        // Proportional: each blank filled right earns points / number of blanks.
        var filled = 0;
        q.blanks.forEach(function (blank, i) {
          var given = normalize(response[i], q.case_sensitive);
          if (blank.answers.some(function (a) { return normalize(a, q.case_sensitive) === given; })) {
            filled += 1;
          }
        });
        return filled / q.blanks.length;
      }
      default:
        return 0;
    }
  }

  /* One question's result. Essays are recorded but not scored (a person grades them), and
   * text items carry no response: both have `scored: false` and count for nothing. */
  function score(q, response) {
    var scored = q.type !== "essay" && q.type !== "text";
    var answered = isAnswered(q, response);
    if (!scored) {
      return { scored: false, answered: answered, credit: 0, earned: 0, max: 0, correct: null };
    }
    var c = answered ? credit(q, response) : 0;
    return {
      scored: true,
      answered: answered,
      credit: c,
      earned: Math.round(c * q.points * 1e6) / 1e6,
      max: q.points,
      correct: c >= 1 - 1e-9,
    };
  }

  function round(value, places) {
    var f = Math.pow(10, places);
    return Math.round(value * f) / f;
  }

  /* The quiz result. Pass/fail is decided on the values reported to the LMS (the 1.2
   * percentage with two decimals, the 2004 scaled score with four), so an LMS that
   * recomputes the status from the manifest's threshold always agrees with the player. */
  function totals(data, order, responses) {
    var earned = 0;
    var max = 0;
    order.forEach(function (qi, k) {
      var r = score(data.questions[qi], responses[k]);
      earned += r.earned;
      max += r.max;
    });
    earned = round(earned, 4);
    var hasScore = max > 0;
    var scaled = hasScore ? round(earned / max, 4) : null;
    var percent = hasScore ? round((earned / max) * 100, 2) : null;
    var passing = data.passing_score;
    var passed = null;
    if (passing !== null && passing !== undefined) {
      // Nothing graded (essays only): neither passed nor failed; the grader decides.
      passed = hasScore ? scaled >= round(passing, 4) : null;
    }
    return {
      earned: earned,
      max: round(max, 4),
      hasScore: hasScore,
      scaled: scaled,
      percent: percent,
      passed: passed,
      passed12: passing === null || passing === undefined || !hasScore
        ? null
        : percent >= round(passing * 100, 2),
    };
  }

  // ---------------------------------------------------------------- suspend data
  function esc(text) {
    return String(text).replace(/[%~|^,!]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function unesc(text) {
    return text.replace(/%([0-9A-F]{2})/g, function (_, h) {
      return String.fromCharCode(parseInt(h, 16));
    });
  }

  function packIndices(list) {
    var fits = list.every(function (v) { return v >= -1 && v < ALPHABET_62.length; });
    if (fits) {
      return list.map(function (v) { return v < 0 ? "-" : ALPHABET_62.charAt(v); }).join("");
    }
    return "." + list.map(function (v) { return v < 0 ? "-" : v.toString(36); }).join(".");
  }

  function unpackIndices(text) {
    if (text.charAt(0) === ".") {
      return text.slice(1).split(".").map(function (v) { return v === "-" ? -1 : parseInt(v, 36); });
    }
    return text.split("").map(function (c) { return c === "-" ? -1 : ALPHABET_62.indexOf(c); });
  }

  function encodeAnswer(q, response) {
    if (response === null || response === undefined) return "";
    switch (q.type) {
      case "single_choice":
        return packIndices([response]);
      case "multiple_response":
        return packIndices(response);
      case "true_false":
        return response ? "t" : "f";
      case "short_answer":
      case "numeric":
      case "essay":
        return "=" + esc(response);
      case "matching":
      case "ordering":
        return packIndices(response);
      case "fill_in_blanks":
        return "=" + response.map(esc).join(",");
      default:
        return "";
    }
  }

  function decodeAnswer(q, code) {
    if (code === "") return null;
    switch (q.type) {
      case "single_choice":
        return unpackIndices(code)[0];
      case "multiple_response":
        return unpackIndices(code);
      case "true_false":
        return code === "t";
      case "short_answer":
      case "numeric":
      case "essay":
        return unesc(code.slice(1));
      case "matching":
      case "ordering":
        return unpackIndices(code);
      case "fill_in_blanks":
        return code.slice(1).split(",").map(unesc);
      default:
        return null;
    }
  }

  function encodeEntry(q, entry) {
    var text = encodeAnswer(q, entry.response);
    if (entry.checked) text = "!" + text;
    var secs = Math.round((entry.ms || 0) / 1000);
    if (secs > 0) text += "^" + secs.toString(36);
    return text;
  }

  function longestText(state) {
    var best = -1;
    var bestLength = 0;
    state.entries.forEach(function (e, k) {
      var r = e.response;
      var length = typeof r === "string" ? r.length : 0;
      if (Array.isArray(r)) {
        r.forEach(function (v) { if (typeof v === "string") length += v.length; });
      }
      if (length > bestLength) {
        best = k;
        bestLength = length;
      }
    });
    return best;
  }

  /* state = { fingerprint, seed, position, done, entries: [{response, checked, ms}] }
   * encoded as  1|<fingerprint>|<seed>|<position>|<q or d>|<entry>~<entry>~…  and kept under
   * `limit` characters: the longest typed texts are shortened first (only the stored copy). */
  function encodeSuspend(data, planned, state, limit) {
    var entries = state.entries.map(function (e) {
      return { response: e.response, checked: e.checked, ms: e.ms };
    });
    var work = { entries: entries };
    for (var guard = 0; guard < 200; guard++) {
      var text = [
        SUSPEND_VERSION,
        state.fingerprint,
        (state.seed >>> 0).toString(36),
        String(state.position),
        state.done ? "d" : "q",
        entries.map(function (e, k) { return encodeEntry(data.questions[planned.order[k]], e); })
          .join("~"),
      ].join("|");
      if (!limit || text.length <= limit) return text;
      var k = longestText(work);
      if (k < 0) {
        entries.forEach(function (e) { e.ms = 0; });
        continue;
      }
      var r = entries[k].response;
      if (typeof r === "string") {
        entries[k].response = r.slice(0, Math.floor(r.length / 2));
      } else {
        entries[k].response = r.map(function (v) {
          return typeof v === "string" ? v.slice(0, Math.floor(v.length / 2)) : v;
        });
      }
    }
    return "";
  }

  /* The state stored by encodeSuspend, or null when it is missing, damaged or belongs to
   * another version of the bank (then the learner starts afresh). */
  function decodeSuspend(data, text) {
    if (!text || typeof text !== "string") return null;
    var parts = text.split("|");
    if (parts.length !== 6 || parts[0] !== SUSPEND_VERSION || parts[1] !== data.fingerprint) {
      return null;
    }
    try {
      var seed = parseInt(parts[2], 36) >>> 0;
      var planned = plan(data, seed);
      var codes = parts[5] === "" && planned.order.length === 0 ? [] : parts[5].split("~");
      if (codes.length !== planned.order.length) return null;
      var entries = codes.map(function (code, k) {
        var q = data.questions[planned.order[k]];
        var ms = 0;
        var caret = code.lastIndexOf("^");
        if (caret >= 0) {
          ms = parseInt(code.slice(caret + 1), 36) * 1000;
          code = code.slice(0, caret);
        }
        var checked = code.charAt(0) === "!";
        if (checked) code = code.slice(1);
        return { response: decodeAnswer(q, code), checked: checked, ms: ms || 0 };
      });
      var position = parseInt(parts[3], 10);
      if (!(position >= 0 && position <= planned.order.length)) position = 0;
      return {
        fingerprint: parts[1],
        seed: seed,
        position: position,
        done: parts[4] === "d",
        entries: entries,
      };
    } catch (e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- SCORM response formats
  function char12(index) {
    return index >= 0 && index < ALPHABET_12.length ? ALPHABET_12.charAt(index) : null;
  }

  function chars12(list) {
    var out = list.map(char12);
    return out.indexOf(null) >= 0 ? null : out;
  }

  // A CMIDecimal: plain digits, no exponent, no float noise ("13.2", not "13.200000000000001").
  // null for a number 18 decimal places cannot hold: 6.626e-34 is not the key "0".
  function decimal(value) {
    if (value === null || !isFinite(value)) return null;
    var v = Number(Number(value).toPrecision(12));
    var text = String(v);
    if (/e/i.test(text)) {
      text = v.toFixed(18).replace(/0+$/, "").replace(/\.$/, "");
      if (Math.abs(Number(text) - v) > 1e-6 * Math.abs(v)) return null;
    }
    if (!/^-?\d{1,10}(\.\d{1,18})?$/.test(text)) return null;
    return text;
  }

  function clip(text, max) {
    var t = String(text).replace(/\s+/g, " ").trim();
    return t.length > max ? t.slice(0, max - 1) + "\u2026" : t;
  }

  function correctChoices(q) {
    var out = [];
    q.choices.forEach(function (c, i) { if (c.correct) out.push(i); });
    return out;
  }

  function firstAnswers(q) {
    return q.blanks.map(function (b) { return b.answers[0]; });
  }

  /* SCORM 1.2 interaction: { type, response, pattern } (pattern null = none written).
   * Choices, matching and sequencing use single characters a-z then 0-9 (authored order);
   * texts are cut to 255 characters (CMIFeedback). Past 36 options a question falls back to
   * "performance" without a pattern. */
  function interaction12(q, response) {
    var chars;
    switch (q.type) {
      case "single_choice":
        return {
          type: "choice",
          response: char12(response),
          pattern: chars12(correctChoices(q)).join(","),
        };
      case "multiple_response":
        return {
          type: "choice",
          response: chars12(response.slice().sort(function (a, b) { return a - b; })).join(","),
          pattern: chars12(correctChoices(q)).join(","),
        };
      case "true_false":
        return { type: "true-false", response: response ? "t" : "f", pattern: q.answer ? "t" : "f" };
      case "short_answer":
        return { type: "fill-in", response: clip(response, 255), pattern: clip(q.answers[0].text, 255) };
      case "numeric": {
        var value = decimal(parseNumber(response));
        var exact = q.min === undefined || q.min === null;
        if (value !== null && exact && decimal(q.value) !== null) {
          return { type: "numeric", response: value, pattern: decimal(q.value) };
        }
        var bounds = [decimal(q.min), decimal(q.max)];
        return {
          type: "fill-in",
          response: clip(value !== null ? value : response, 255),
          pattern: exact ? decimal(q.value) : bounds.indexOf(null) < 0 ? bounds.join(":") : null,
        };
      }
      case "essay":
        return { type: "fill-in", response: clip(response, 255), pattern: null };
      case "matching": {
        var sources = chars12(range(q.pairs.length));
        var targets = chars12(range(q.options.length));
        if (!sources || !targets) return { type: "performance", response: "", pattern: null };
        var given = [];
        response.forEach(function (opt, i) {
          if (opt >= 0) given.push(sources[i] + "." + targets[opt]);
        });
        return {
          type: "matching",
          response: given.join(","),
          pattern: q.pairs.map(function (p, i) { return sources[i] + "." + targets[p.match]; }).join(","),
        };
      }
      case "ordering":
        chars = chars12(response);
        if (!chars) return { type: "performance", response: "", pattern: null };
        return { type: "sequencing", response: chars.join(","), pattern: chars12(range(q.items.length)).join(",") };
      case "fill_in_blanks":
        return {
          type: "fill-in",
          response: clip(response.map(function (v) { return String(v || "").trim(); }).join(","), 255),
          pattern: clip(firstAnswers(q).join(","), 255),
        };
      default:
        return null;
    }
  }

  /* A SCORM 2004 localized string that is never read as a {lang=} delimiter: one starting
   * with "{" gets a leading space (within `max`). Used for the description and learner
   * responses, where scorm-again refuses a text starting with "{" even after an explicit
   * {lang=…}, so the exact form cannot be written there. */
  function langString(text, max) {
    var t = clip(text, max);
    return t.charAt(0) === "{" ? " " + clip(text, max - 1) : t;
  }

  /* The bank's language as a SCORM 2004 {lang=} tag, or null: an ISO 639-1 code with at most
   * one more group of 2-8 characters (RTE language_type). scorm-again checks the code against
   * ISO 639-1 and the 639-2 twins of those codes; a three-letter code that a BCP 47 tag uses
   * has no two-letter twin, so it is not on that list. */
  function langTag() {
    if (/^[a-z]{2}(-[a-z0-9-]{2,8})?$/i.test(language)) return language;
    var primary = language.split("-")[0];
    return /^[a-z]{2}$/i.test(primary) ? primary : null;
  }

  /* One string of a correct-responses pattern, kept exactly: a text starting with "{" is
   * written after an explicit {lang=…} (RTE localized_string_type: the delimiter is not part
   * of the string); null when no tag can be written. No leading or trailing space, which
   * scorm-again refuses in a pattern. */
  function patternString(text) {
    var t = clip(noDelimiters(text), 250);
    if (t.charAt(0) !== "{") return t;
    var tag = langTag();
    return tag === null ? null : "{lang=" + tag + "}" + t;
  }

  /* A fill-in pattern of one string per blank, or null when it cannot be written so that the
   * LMS reads these strings: a string named twice (scorm-again refuses a repeat, 406), a
   * string it cannot hold (patternString), or a single string holding a comma: the RTE reads
   * one string, but without a "[,]" in the value scorm-again splits on bare commas ("y,y,$3"
   * reads as y, y, $3) and there is no form that both read as the one string. */
  function fillInPattern(keys, caseSensitive) {
    var strings = keys.map(patternString);
    if (strings.indexOf(null) >= 0) return null;
    if (strings.some(function (k, i) { return strings.indexOf(k) !== i; })) return null;
    if (strings.length === 1 && strings[0].indexOf(",") >= 0) return null;
    return (caseSensitive ? "{case_matters=true}" : "") + strings.join("[,]");
  }

  /* A fill-in learner response, one text per blank, or "" (not written) when scorm-again
   * would refuse it: a value without "[,]" is split on bare commas, and it takes at most 10
   * pieces, none starting with "{". The comma stays: the stored value is the typed text. */
  function fillInResponse(texts) {
    var strings = texts.map(function (v) {
      return langString(noDelimiters(String(v == null ? "" : v).trim()), 250);
    });
    if (strings.length === 1 && strings[0].indexOf(",") >= 0) {
      var pieces = strings[0].split(",");
      var refused = pieces.length > 10 || pieces.some(function (p) { return p.charAt(0) === "{"; });
      if (refused) return "";
    }
    return strings.join("[,]");
  }

  function noDelimiters(text) {
    return String(text).replace(/\[[,.:]\]/g, function (m) { return m.charAt(1); });
  }

  /* SCORM 2004 interaction: { type, response, pattern } with the [,] [.] [:] delimiters of
   * RTE 4.1.6.3. Choice ids are the bank's choice ids; pairs are p1…, options o1…, ordering
   * items i1… (authored order). */
  function interaction2004(q, response) {
    switch (q.type) {
      case "single_choice":
        return {
          type: "choice",
          response: q.choices[response].id,
          pattern: correctChoices(q).map(function (i) { return q.choices[i].id; }).join("[,]"),
        };
      case "multiple_response":
        return {
          type: "choice",
          response: response.slice().sort(function (a, b) { return a - b; })
            .map(function (i) { return q.choices[i].id; }).join("[,]"),
          pattern: correctChoices(q).map(function (i) { return q.choices[i].id; }).join("[,]"),
        };
      case "true_false":
        return { type: "true-false", response: String(response), pattern: String(q.answer) };
      case "short_answer":
        return {
          type: "fill-in",
          response: fillInResponse([response]),
          pattern: fillInPattern([q.answers[0].text], q.answers[0].case_sensitive),
        };
      case "numeric": {
        var value = decimal(parseNumber(response));
        var low = q.min !== undefined && q.min !== null ? q.min : q.value - (q.tolerance || 0);
        var high = q.min !== undefined && q.min !== null ? q.max : q.value + (q.tolerance || 0);
        var pattern = decimal(low) !== null && decimal(high) !== null
          ? decimal(low) + "[:]" + decimal(high) : null;
        if (value === null) {
          return { type: "fill-in", response: fillInResponse([response]), pattern: null };
        }
        return { type: "numeric", response: value, pattern: pattern };
      }
      case "essay":
        return { type: "long-fill-in", response: langString(response, 4000), pattern: null };
      case "matching": {
        if (q.pairs.length > 36) return { type: "other", response: "", pattern: null };
        var given = [];
        response.forEach(function (opt, i) {
          if (opt >= 0) given.push("p" + (i + 1) + "[.]o" + (opt + 1));
        });
        return {
          type: "matching",
          response: given.join("[,]"),
          pattern: q.pairs.map(function (p, i) { return "p" + (i + 1) + "[.]o" + (p.match + 1); }).join("[,]"),
        };
      }
      case "ordering":
        if (q.items.length > 36) return { type: "other", response: "", pattern: null };
        return {
          type: "sequencing",
          response: response.map(function (i) { return "i" + (i + 1); }).join("[,]"),
          pattern: range(q.items.length).map(function (i) { return "i" + (i + 1); }).join("[,]"),
        };
      case "fill_in_blanks":
        if (q.blanks.length > 10) {
          var joined = response.map(function (v) { return String(v || "").trim(); }).join(" | ");
          return { type: "long-fill-in", response: langString(joined, 4000), pattern: null };
        }
        return {
          type: "fill-in",
          response: fillInResponse(response),
          pattern: fillInPattern(firstAnswers(q), q.case_sensitive),
        };
      default:
        return null;
    }
  }

  // ---------------------------------------------------------------- time formats
  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = "0" + s;
    return s;
  }

  // SCORM 1.2 CMITimespan: HHHH:MM:SS.SS
  function timespan12(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    var m = Math.floor((cs % 360000) / 6000);
    var s = Math.floor((cs % 6000) / 100);
    var frac = cs % 100;
    return pad(Math.min(h, 9999), 4) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(frac, 2);
  }

  // SCORM 1.2 CMITime (time of day): HH:MM:SS
  function time12(date) {
    return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
  }

  // SCORM 2004 timeinterval: PT#H#M#S
  function duration2004(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000);
    var m = Math.floor((cs % 360000) / 6000);
    var s = (cs % 6000) / 100;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + s.toFixed(2).replace(/\.?0+$/, "") + "S";
  }

  // SCORM 2004 time(second,10,0): YYYY-MM-DDThh:mm:ss.s, UTC
  function timestamp2004(date) {
    return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1, 2) + "-" +
      pad(date.getUTCDate(), 2) + "T" + pad(date.getUTCHours(), 2) + ":" +
      pad(date.getUTCMinutes(), 2) + ":" + pad(date.getUTCSeconds(), 2) + "." +
      Math.floor(date.getUTCMilliseconds() / 100) + "Z";
  }

  return {
    LIMIT_12: LIMIT_12,
    LIMIT_2004: LIMIT_2004,
    ALPHABET_12: ALPHABET_12,
    hash32: hash32,
    prng: prng,
    plan: plan,
    normalize: normalize,
    parseNumber: parseNumber,
    setLanguage: setLanguage,
    isAnswered: isAnswered,
    score: score,
    totals: totals,
    encodeSuspend: encodeSuspend,
    decodeSuspend: decodeSuspend,
    char12: char12,
    decimal: decimal,
    clip: clip,
    langString: langString,
    interaction12: interaction12,
    interaction2004: interaction2004,
    timespan12: timespan12,
    time12: time12,
    duration2004: duration2004,
    timestamp2004: timestamp2004,
  };
});
