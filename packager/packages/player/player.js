/* player.js: the quiz on the page. Reads window.PACKAGER_QUIZ (quiz-data.js), uses quiz.js for
 * every rule and lms.js to talk to the LMS. One question per screen, native form controls
 * with real labels, focus moved to each new screen's heading, results announced in a live
 * region. Works without an LMS: preview mode (a SCORM package opened outside one) and standalone
 * mode (the single-file HTML quiz, whose images come as data: URIs in window.PACKAGER_MEDIA).
 */
(function () {
  "use strict";

  var Q = window.PackagerQuiz;
  var L = window.PackagerLMS;
  var data = window.PACKAGER_QUIZ;
  // Package path (media/x.png) -> data: URI, in the single-file quiz only; written by packager
  // (packager/packages/html.py), never by the bank, so it is not checked like author URLs.
  var media = window.PACKAGER_MEDIA || null;
  var RTL = ["ar", "arc", "dv", "fa", "ha", "he", "khw", "ks", "ku", "ps", "sd", "ur", "yi"];

  var lms = null;
  var state = null; // { fingerprint, seed, position, done, entries: [{response, checked, ms}] }
  var planned = null;
  var answeredAt = [];
  var shownAt = 0;
  var main = null;
  var uid = 0;

  // ------------------------------------------------------------------ rich text, inertly
  // Question HTML arrives sanitised (packager.richtext, packager.mathml). As a second line of
  // defence it never reaches innerHTML: it is parsed as XML in a document of its own, where
  // nothing runs or loads, and only the allow-listed elements and attributes below are
  // copied into the page. These lists mirror packager/richtext.py and packager/mathml.py
  // (tests/unit/packages/test_player_allow_list.py keeps them equal).
  var XHTML_NS = "http://www.w3.org/1999/xhtml";
  var MATHML_NS = "http://www.w3.org/1998/Math/MathML";
  var HTML_TAGS = words("a abbr acronym address b big blockquote br caption cite code col colgroup dd dfn div dl dt em h1 h2 h3 h4 h5 h6 hr i img kbd li ol p pre q samp small span strong sub sup table tbody td tfoot th thead tr tt ul var");
  var HTML_ATTRS = {
    "*": words("class"), a: words("href"), img: words("src alt width height"),
    td: words("colspan rowspan scope"), th: words("colspan rowspan scope"),
    col: words("span"), colgroup: words("span"), ol: words("start")
  };
  var MATH_TAGS = words("math mrow mi mn mo ms mtext mspace mfrac msqrt mroot mstyle merror mpadded mphantom mfenced menclose msub msup msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mlabeledtr mtd maligngroup malignmark semantics annotation");
  var MATH_ATTRS = words("display mathvariant mathsize mathcolor mathbackground displaystyle scriptlevel dir stretchy fence separator accent accentunder largeop movablelimits symmetric form lspace rspace minsize maxsize width height depth voffset linethickness linebreak notation bevelled columnalign rowalign columnlines rowlines columnspacing rowspacing frame framespacing equalrows equalcolumns columnspan rowspan open close separators lquote rquote encoding");

  function words(list) {
    var set = Object.create(null);
    list.split(" ").forEach(function (w) { set[w] = true; });
    return set;
  }

  // Links go to the web or mail, images come from the package: nothing else is copied.
  function safeUrl(value, forImage) {
    // Browsers read "\\" as "/" here, and "//host" from a page opened as a file is file://.
    var url = String(value).replace(/[\u0000-\u0020]+/g, "").replace(/\\/g, "/").toLowerCase();
    var local = !/^[a-z][a-z0-9+.-]*:/.test(url) && url.indexOf("//") !== 0;
    if (forImage) return local;
    return /^(https?:|mailto:|#)/.test(url) || local;
  }

  function packagedImage(path) {
    return Object.prototype.hasOwnProperty.call(media, path) ? media[path] : "";
  }

  function authorClasses(value) {
    return value.split(/\s+/).filter(function (c) { return c === "math" || /^language-[\w-]+$/.test(c); }).join(" ");
  }

  function copyInto(source, target) {
    for (var child = source.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === 3) {
        target.appendChild(document.createTextNode(child.data));
        continue;
      }
      if (child.nodeType !== 1) continue; // comments, processing instructions
      var name = child.localName;
      var node = null;
      var allowed = null;
      if (child.namespaceURI === MATHML_NS && MATH_TAGS[name]) {
        node = document.createElementNS(MATHML_NS, name);
      } else if ((child.namespaceURI === XHTML_NS || !child.namespaceURI) && HTML_TAGS[name]) {
        node = document.createElement(name);
        allowed = HTML_ATTRS[name] || {};
      }
      if (!node) continue; // an element outside the lists is dropped with all it holds
      for (var i = 0; i < child.attributes.length; i++) {
        var attr = child.attributes[i];
        if (attr.namespaceURI) continue;
        var key = attr.localName;
        var ok = allowed ? (allowed[key] || HTML_ATTRS["*"][key]) : MATH_ATTRS[key];
        if (!ok) continue;
        var value = attr.value;
        if ((key === "href" || key === "src") && !safeUrl(value, key === "src")) continue;
        if (key === "src" && media && !(value = packagedImage(value))) continue;
        // Authors' classes must not borrow the player's own styles (a banner, a hidden box).
        if (key === "class" && !(value = authorClasses(value))) continue;
        node.setAttribute(key, value);
      }
      copyInto(child, node);
      target.appendChild(node);
    }
  }

  function setRich(node, html) {
    var doc = new DOMParser().parseFromString(
      '<div xmlns="' + XHTML_NS + '">' + html + "</div>", "application/xml");
    var root = doc.documentElement;
    if (!root || root.localName !== "div" || doc.getElementsByTagName("parsererror").length) {
      node.textContent = html; // never expected: shown as text rather than parsed as HTML
      return;
    }
    copyInto(root, node);
  }

  // ------------------------------------------------------------------ small DOM helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key === "html") setRich(node, value);
        else if (key === "className") node.className = value;
        else if (key.indexOf("on") === 0) node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : value);
      });
    }
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function nextId(prefix) {
    uid += 1;
    return prefix + "-" + uid;
  }

  // Rich text is pre-rendered, sanitised XHTML. A single paragraph is unwrapped for labels.
  function inline(html) {
    var m = /^<p>([\s\S]*)<\/p>$/.exec(html || "");
    return m && m[1].indexOf("<p>") < 0 ? m[1] : html || "";
  }

  // Space checks a radio button or checkbox natively; Enter does the same here (there is no form
  // for it to submit), so a learner may use either key on a choice.
  function checkOnEnter(input) {
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || input.disabled) return;
      event.preventDefault();
      input.click();
    });
  }

  function button(text, onclick, className) {
    return el("button", { type: "button", className: className || "", onclick: onclick, text: text });
  }

  function announce(message) {
    var region = document.getElementById("announcer");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function focusHeading(node) {
    if (!node) return;
    node.setAttribute("tabindex", "-1");
    node.focus();
    if (node.scrollIntoView) {
      var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      node.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
    }
  }

  function plural(n, word) {
    return n + " " + word + (Number(n) === 1 ? "" : "s");
  }

  function formatNumber(n) {
    return String(Math.round(n * 100) / 100);
  }

  // ------------------------------------------------------------------ state
  function question(k) {
    return data.questions[planned.order[k]];
  }

  function entry(k) {
    return state.entries[k];
  }

  function numbering(k) {
    var n = 0;
    for (var i = 0; i <= k; i++) if (question(i).type !== "text") n += 1;
    return n;
  }

  function questionCount() {
    return planned.order.filter(function (qi) { return data.questions[qi].type !== "text"; }).length;
  }

  function suspendText() {
    return Q.encodeSuspend(data, planned, state, lms.limit);
  }

  function setResponse(k, response) {
    entry(k).response = response;
    answeredAt[k] = new Date();
  }

  function leaveScreen() {
    if (shownAt && state.position < planned.order.length && !state.done) {
      entry(state.position).ms += Date.now() - shownAt;
    }
    shownAt = 0;
  }

  function save() {
    lms.save(suspendText(), state.position);
  }

  // ------------------------------------------------------------------ controls per type
  function choiceControls(k, q, locked, labelledBy) {
    var multiple = q.type === "multiple_response";
    var name = "q-" + q.id;
    var current = entry(k).response;
    var group = el("fieldset", { className: "choices", "aria-labelledby": labelledBy });
    if (multiple) {
      var hint = el("p", { className: "hint", id: nextId("hint"), text: "Select all that apply." });
      group.setAttribute("aria-describedby", hint.id);
      group.appendChild(hint);
    }
    planned.choiceOrder[planned.order[k]].forEach(function (ci) {
      var choice = q.choices[ci];
      var id = nextId("choice");
      var checked = multiple ? (current || []).indexOf(ci) >= 0 : current === ci;
      var input = el("input", {
        type: multiple ? "checkbox" : "radio", name: name, id: id, value: String(ci),
        checked: checked, disabled: locked, "data-choice-id": choice.id,
      });
      input.addEventListener("change", function () {
        if (multiple) {
          var picked = [];
          group.querySelectorAll("input:checked").forEach(function (box) {
            picked.push(parseInt(box.value, 10));
          });
          picked.sort(function (a, b) { return a - b; });
          setResponse(k, picked.length ? picked : null);
        } else {
          setResponse(k, ci);
        }
      });
      checkOnEnter(input);
      group.appendChild(el("div", { className: "choice" }, [
        input, el("label", { for: id, html: inline(choice.html) }),
      ]));
    });
    return group;
  }

  function trueFalseControls(k, q, locked, labelledBy) {
    var current = entry(k).response;
    var group = el("fieldset", { className: "choices", "aria-labelledby": labelledBy });
    [true, false].forEach(function (value) {
      var id = nextId("tf");
      var input = el("input", {
        type: "radio", name: "q-" + q.id, id: id, value: String(value),
        checked: current === value, disabled: locked,
      });
      input.addEventListener("change", function () { setResponse(k, value); });
      checkOnEnter(input);
      group.appendChild(el("div", { className: "choice" }, [
        input, el("label", { for: id, text: value ? "True" : "False" }),
      ]));
    });
    return group;
  }

  function textControls(k, q, locked, describedBy) {
    var id = nextId("answer");
    var current = entry(k).response;
    var field;
    var wrap = el("div", { className: "field" });
    if (q.type === "essay") {
      field = el("textarea", { id: id, rows: "7", disabled: locked, "aria-describedby": describedBy });
      wrap.appendChild(el("label", { for: id, text: "Your answer" }));
      wrap.appendChild(field);
      wrap.appendChild(el("p", { className: "hint", text: "This answer is recorded for your teacher; it is not scored automatically." }));
    } else {
      var attrs = { type: "text", id: id, autocomplete: "off", spellcheck: "false", disabled: locked, "aria-describedby": describedBy };
      if (q.type === "numeric") attrs.inputmode = "decimal";
      field = el("input", attrs);
      wrap.appendChild(el("label", { for: id, text: q.type === "numeric" ? "Your answer (a number)" : "Your answer" }));
      var row = el("div", { className: "input-row" }, [field]);
      if (q.unit) {
        var unitId = nextId("unit");
        row.appendChild(el("span", { className: "unit", id: unitId, text: q.unit }));
        field.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + unitId);
      }
      wrap.appendChild(row);
    }
    field.value = current || "";
    field.addEventListener("input", function () {
      setResponse(k, field.value === "" ? null : field.value);
    });
    return wrap;
  }

  function matchingControls(k, q, locked) {
    var current = entry(k).response || q.pairs.map(function () { return -1; });
    var sorted = q.options.map(function (text, i) { return { text: text, i: i }; });
    sorted.sort(function (a, b) { return a.text.localeCompare(b.text, data.language); });
    var list = el("div", { className: "matching" });
    q.pairs.forEach(function (pair, i) {
      var id = nextId("match");
      var select = el("select", { id: id, disabled: locked });
      select.appendChild(el("option", { value: "", text: "Choose a match" }));
      sorted.forEach(function (opt) {
        select.appendChild(el("option", { value: String(opt.i), selected: current[i] === opt.i, text: opt.text }));
      });
      select.addEventListener("change", function () {
        var picks = (entry(k).response || q.pairs.map(function () { return -1; })).slice();
        picks[i] = select.value === "" ? -1 : parseInt(select.value, 10);
        setResponse(k, picks.some(function (v) { return v >= 0; }) ? picks : null);
      });
      list.appendChild(el("div", { className: "pair" }, [
        el("label", { for: id, html: inline(pair.html) }), select,
      ]));
    });
    return list;
  }

  function orderingControls(k, q, locked) {
    var list = el("ol", { className: "ordering" });
    function currentOrder() {
      return entry(k).response || planned.itemOrder[planned.order[k]];
    }
    function draw(focusItem, focusDir) {
      list.textContent = "";
      var order = currentOrder();
      order.forEach(function (item, pos) {
        var text = el("span", { className: "item-text", html: inline(q.items[item]) });
        var name = text.textContent;
        var up = button("Up", function () { move(pos, -1); }, "move");
        var down = button("Down", function () { move(pos, 1); }, "move");
        up.appendChild(el("span", { className: "sr-only", text: ": " + name }));
        down.appendChild(el("span", { className: "sr-only", text: ": " + name }));
        up.setAttribute("data-item", String(item));
        down.setAttribute("data-item", String(item));
        if (pos === 0 || locked) up.setAttribute("aria-disabled", "true");
        if (pos === order.length - 1 || locked) down.setAttribute("aria-disabled", "true");
        list.appendChild(el("li", { className: "order-item", "data-item": String(item) }, [
          text, el("span", { className: "move-buttons" }, [up, down]),
        ]));
        if (focusItem === item) {
          var target = focusDir < 0 ? (pos === 0 ? down : up) : (pos === order.length - 1 ? up : down);
          window.setTimeout(function () { target.focus(); }, 0);
        }
      });
    }
    function move(pos, dir) {
      if (locked) return;
      var order = currentOrder().slice();
      var to = pos + dir;
      if (to < 0 || to >= order.length) return;
      var item = order[pos];
      order[pos] = order[to];
      order[to] = item;
      setResponse(k, order);
      draw(item, dir);
      var probe = el("span", { html: inline(q.items[item]) });
      announce(probe.textContent + " moved to position " + (to + 1) + " of " + order.length + ".");
    }
    draw(null, 0);
    return el("div", { className: "ordering-wrap" }, [
      el("p", { className: "hint", text: "Use the Up and Down buttons to put the items in the right order." }),
      list,
    ]);
  }

  // Replace each [[blank-id]] in the rendered prompt with a labelled text box.
  function fillBlanks(k, q, promptNode, locked) {
    var current = entry(k).response || q.blanks.map(function () { return ""; });
    var index = {};
    q.blanks.forEach(function (b, i) { index[b.id] = i; });
    var walker = document.createTreeWalker(promptNode, NodeFilter.SHOW_TEXT, null);
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var parts = node.nodeValue.split(/\[\[([a-z0-9][a-z0-9_-]*)\]\]/);
      if (parts.length === 1) return;
      var frag = document.createDocumentFragment();
      parts.forEach(function (part, j) {
        if (j % 2 === 0) {
          if (part) frag.appendChild(document.createTextNode(part));
          return;
        }
        var i = index[part];
        if (i === undefined) {
          frag.appendChild(document.createTextNode("[[" + part + "]]"));
          return;
        }
        var input = el("input", {
          type: "text", className: "blank", autocomplete: "off", spellcheck: "false",
          "aria-label": "Blank " + (i + 1) + " of " + q.blanks.length, "data-blank": part,
          disabled: locked, size: "12",
        });
        input.value = current[i] || "";
        input.addEventListener("input", function () {
          var values = (entry(k).response || q.blanks.map(function () { return ""; })).slice();
          values[i] = input.value;
          setResponse(k, values.some(function (v) { return v.trim() !== ""; }) ? values : null);
        });
        frag.appendChild(input);
      });
      node.parentNode.replaceChild(frag, node);
    });
  }

  // ------------------------------------------------------------------ feedback
  function answerText(q, r) {
    switch (q.type) {
      case "single_choice":
        return el("span", { html: inline(q.choices[r].html) });
      case "multiple_response":
        return el("span", {}, r.map(function (i, n) {
          return el("span", { html: (n ? "; " : "") + inline(q.choices[i].html) });
        }));
      case "true_false":
        return r ? "True" : "False";
      case "matching":
        return el("span", {}, q.pairs.map(function (p, i) {
          var m = r[i] >= 0 ? q.options[r[i]] : "(no match)";
          return el("span", { className: "pair-line", html: (i ? "; " : "") + inline(p.html) + " \u2192 " }, [m]);
        }));
      case "ordering":
        return el("span", {}, r.map(function (i, n) {
          return el("span", { html: (n ? " \u2192 " : "") + inline(q.items[i]) });
        }));
      case "fill_in_blanks":
        return r.map(function (v) { return v && v.trim() ? v.trim() : "(blank)"; }).join("; ");
      default:
        return String(r);
    }
  }

  function correctAnswer(q) {
    switch (q.type) {
      case "single_choice":
      case "multiple_response":
        return answerText(q, q.choices.map(function (c, i) { return c.correct ? i : -1; })
          .filter(function (i) { return i >= 0; }));
      case "true_false":
        return q.answer ? "True" : "False";
      case "short_answer":
        return q.answers.map(function (a) { return a.text; }).join(" or ");
      case "numeric": {
        var unit = q.unit ? " " + q.unit : "";
        if (q.min !== undefined && q.min !== null) return "from " + q.min + " to " + q.max + unit;
        return q.value + (q.tolerance ? " \u00b1 " + q.tolerance : "") + unit;
      }
      case "matching":
        return answerText(q, q.pairs.map(function (p) { return p.match; }));
      case "ordering":
        return answerText(q, q.items.map(function (_, i) { return i; }));
      case "fill_in_blanks":
        return q.blanks.map(function (b) { return b.answers.join(" or "); }).join("; ");
      default:
        return null;
    }
  }

  function feedbackBlock(k) {
    var q = question(k);
    var r = entry(k).response;
    var result = Q.score(q, r);
    var kind;
    var title;
    if (!result.answered) {
      kind = "unanswered";
      title = "Not answered";
    } else if (!result.scored) {
      kind = "neutral";
      title = "Answer recorded";
    } else if (result.correct) {
      kind = "correct";
      title = "Correct";
    } else if (result.credit > 0) {
      kind = "partial";
      title = "Partly correct";
    } else {
      kind = "incorrect";
      title = "Incorrect";
    }
    var box = el("div", { className: "feedback " + kind, "data-result": kind });
    var heading = el("h3", { className: "feedback-title" }, [
      el("span", { className: "mark", "aria-hidden": "true", text: kind === "correct" ? "\u2713" : (kind === "neutral" ? "\u2022" : (kind === "partial" ? "\u00bd" : "\u2717")) }),
      " " + title,
    ]);
    if (result.scored) {
      heading.appendChild(el("span", { className: "points", text: " (" + formatNumber(result.earned) + " of " + plural(formatNumber(result.max), "point") + ")" }));
    }
    box.appendChild(heading);
    if (result.answered && q.type !== "essay") {
      box.appendChild(el("p", { className: "your-answer" }, [el("strong", { text: "Your answer: " }), answerText(q, r)]));
    }
    var general = result.correct ? q.feedback_correct : q.feedback_incorrect;
    if (result.scored && result.answered && general) {
      box.appendChild(el("div", { className: "feedback-general", html: general }));
    }
    if (result.answered && (q.type === "single_choice" || q.type === "multiple_response")) {
      var picked = q.type === "single_choice" ? [r] : r;
      picked.forEach(function (i) {
        if (q.choices[i] && q.choices[i].feedback) {
          var about = picked.length > 1
            ? el("p", { className: "choice-name" }, [el("strong", { text: "You chose: " }), el("span", { html: inline(q.choices[i].html) })])
            : null;
          box.appendChild(el("div", { className: "feedback-choice" }, [about, el("div", { html: q.choices[i].feedback })]));
        }
      });
    }
    if (result.answered && q.type === "true_false") {
      var tf = r ? q.feedback_true : q.feedback_false;
      if (tf) box.appendChild(el("div", { className: "feedback-choice", html: tf }));
    }
    if (result.scored && !result.correct) {
      var right = correctAnswer(q);
      if (right !== null) {
        box.appendChild(el("p", { className: "correct-answer" }, [el("strong", { text: "Correct answer: " }), right]));
      }
    }
    if (q.type === "essay") {
      if (q.sample_answer) {
        box.appendChild(el("div", { className: "sample" }, [el("h4", { text: "Sample answer" }), el("div", { html: q.sample_answer })]));
      }
      if (q.rubric) {
        box.appendChild(el("div", { className: "rubric" }, [el("h4", { text: "How answers are marked" }), el("div", { html: q.rubric })]));
      }
    }
    if (q.explanation) {
      box.appendChild(el("div", { className: "explanation" }, [el("h4", { text: "Explanation" }), el("div", { html: q.explanation })]));
    }
    return { node: box, heading: heading, message: title + "." };
  }

  // ------------------------------------------------------------------ screens
  function progressLine(k) {
    var p = document.getElementById("progress");
    var section = null;
    var qi = planned.order[k];
    if (data.sections.length > 1) {
      data.sections.forEach(function (s) { if (s.questions.indexOf(qi) >= 0) section = s.title; });
    }
    p.textContent = (section ? section + " \u00b7 " : "") + "Page " + (k + 1) + " of " + planned.order.length;
    var bar = document.getElementById("progress-bar");
    bar.max = planned.order.length;
    bar.value = k + 1;
    bar.hidden = false;
  }

  function scenarioBlock(q, shown) {
    var blocks = [];
    var stimulus = q.stimulus ? data.stimuli[q.stimulus] : null;
    if (stimulus && shown && shown[q.stimulus]) {
      blocks.push(el("p", { className: "hint", text: "Scenario: " + (stimulus.title || "as above") + " (shown above)." }));
    } else if (stimulus) {
      if (shown) shown[q.stimulus] = true;
      var s = el("aside", { className: "scenario", "aria-label": stimulus.title || "Scenario" });
      if (stimulus.title) s.appendChild(el("h3", { text: stimulus.title }));
      s.appendChild(el("div", { html: stimulus.html }));
      blocks.push(s);
    }
    if (q.scenario) {
      blocks.push(el("aside", { className: "scenario", "aria-label": "Scenario" }, [el("div", { html: q.scenario })]));
    }
    return blocks;
  }

  function showQuestion(k, notice) {
    leaveScreen();
    state.position = k;
    var q = question(k);
    var e = entry(k);
    var mode = data.show_feedback;
    var locked = mode === "immediately" && e.checked;
    var headingId = nextId("qh");
    var promptId = nextId("qp");
    main.textContent = "";
    progressLine(k);

    var heading = el("h2", { id: headingId, className: "question-heading" }, [
      q.type === "text" ? (q.title || "Information") : "Question " + numbering(k) + " of " + questionCount(),
    ]);
    var article = el("article", {
      className: "question", "data-question-id": q.id, "data-type": q.type, "aria-labelledby": headingId,
    });
    if (notice) article.appendChild(el("p", { className: "notice", role: "status", text: notice }));
    article.appendChild(heading);
    if (q.type !== "text" && q.title) article.appendChild(el("p", { className: "question-title", text: q.title }));
    scenarioBlock(q).forEach(function (b) { article.appendChild(b); });
    var prompt = el("div", { className: "prompt", id: promptId, html: q.prompt });
    article.appendChild(prompt);

    var controls = null;
    if (q.type === "single_choice" || q.type === "multiple_response") controls = choiceControls(k, q, locked, promptId);
    else if (q.type === "true_false") controls = trueFalseControls(k, q, locked, promptId);
    else if (q.type === "short_answer" || q.type === "numeric" || q.type === "essay") controls = textControls(k, q, locked, promptId);
    else if (q.type === "matching") controls = matchingControls(k, q, locked);
    else if (q.type === "ordering") controls = orderingControls(k, q, locked);
    else if (q.type === "fill_in_blanks") fillBlanks(k, q, prompt, locked);
    if (controls) article.appendChild(el("div", { className: "response" }, [controls]));
    if (q.type !== "text" && q.type !== "essay") {
      article.appendChild(el("p", { className: "worth", text: "Worth " + plural(formatNumber(q.points), "point") + "." }));
    }

    var feedbackSlot = el("div", { className: "feedback-slot" });
    article.appendChild(feedbackSlot);
    if (locked) feedbackSlot.appendChild(feedbackBlock(k).node);

    var actions = el("div", { className: "actions" });
    if (k > 0) actions.appendChild(button("Previous", function () { go(k - 1); }, "secondary"));
    if (mode === "immediately" && q.type !== "text" && !e.checked) {
      actions.appendChild(button("Check answer", function () { check(k); }, "primary check"));
    }
    if (k < planned.order.length - 1) {
      actions.appendChild(button("Next", function () { go(k + 1); }, mode === "immediately" && q.type !== "text" && !e.checked ? "secondary" : "primary"));
    } else {
      var answered = state.entries.filter(function (en, i) {
        return question(i).type !== "text" && Q.isAnswered(question(i), en.response);
      }).length;
      actions.appendChild(el("p", { className: "submit-note", text: "You have answered " + answered + " of " + plural(questionCount(), "question") + "." }));
      actions.appendChild(button("Submit quiz", submit, "primary submit"));
    }
    article.appendChild(actions);
    main.appendChild(article);
    shownAt = Date.now();
    return heading;
  }

  function go(k) {
    var heading;
    leaveScreen();
    state.position = k;
    save();
    heading = showQuestion(k);
    focusHeading(heading);
  }

  function check(k) {
    var q = question(k);
    if (!Q.isAnswered(q, entry(k).response)) {
      announce("Answer the question first, then check it.");
      var slot = main.querySelector(".feedback-slot");
      slot.textContent = "";
      slot.appendChild(el("p", { className: "notice", text: "Answer the question first, then check it." }));
      return;
    }
    entry(k).checked = true;
    leaveScreen();
    save();
    showQuestion(k);
    var fb = main.querySelector(".feedback-title");
    var block = feedbackBlock(k);
    announce(block.message);
    focusHeading(fb);
  }

  function submit() {
    leaveScreen();
    state.done = true;
    state.position = planned.order.length;
    var totals = Q.totals(data, planned.order, state.entries.map(function (e) { return e.response; }));
    var now = new Date();
    planned.order.forEach(function (qi, k) {
      var q = data.questions[qi];
      if (q.type === "text") return;
      var response = entry(k).response;
      if (!Q.isAnswered(q, response)) return;
      lms.record({
        question: q, response: response, result: Q.score(q, response),
        latencyMs: entry(k).ms, when: answeredAt[k] || now,
      });
    });
    lms.complete(totals, suspendText(), state.position);
    showResults(totals, true);
  }

  function showResults(totals, announceIt) {
    main.textContent = "";
    var p = document.getElementById("progress");
    p.textContent = "Finished";
    document.getElementById("progress-bar").hidden = true;
    var heading = el("h2", { className: "results-heading" }, ["Your result"]);
    var section = el("section", { className: "results", "aria-labelledby": "results-heading" });
    heading.id = "results-heading";
    section.appendChild(heading);
    var summary;
    if (totals.hasScore) {
      summary = "You scored " + formatNumber(totals.earned) + " of " + plural(formatNumber(totals.max), "point") +
        " (" + formatNumber(totals.percent) + "%).";
    } else {
      summary = "You have completed the quiz.";
    }
    section.appendChild(el("p", { className: "score", "data-earned": String(totals.earned), "data-max": String(totals.max), text: summary }));
    if (totals.passed !== null) {
      var mark = Math.round(data.passing_score * 10000) / 100;
      section.appendChild(el("p", {
        className: "verdict " + (totals.passed ? "passed" : "failed"), "data-passed": String(totals.passed),
        text: (totals.passed ? "Passed." : "Not passed.") + " The pass mark is " + mark + "%.",
      }));
    }
    var essays = planned.order.filter(function (qi) { return data.questions[qi].type === "essay"; }).length;
    if (essays) {
      section.appendChild(el("p", { className: "hint", text: "Essay answers are not scored automatically and are not part of this score." }));
    }
    section.appendChild(el("p", { className: "saved", text: SAVED[lms.mode] }));
    if (lms.mode === "standalone") {
      section.appendChild(el("div", { className: "actions" }, [button("Start again", restart, "primary restart")]));
    }
    if (data.show_feedback !== "never") {
      var review = el("ol", { className: "review" });
      var shown = Object.create(null); // by stimulus id: none is taken for `constructor`
      planned.order.forEach(function (qi, k) {
        var q = data.questions[qi];
        if (q.type === "text") return;
        var item = el("li", { className: "review-item question", "data-question-id": q.id });
        item.appendChild(el("h3", { className: "review-heading", text: q.title || ("Question " + numbering(k)) }));
        scenarioBlock(q, shown).forEach(function (b) { item.appendChild(b); });
        item.appendChild(el("div", { className: "prompt", html: q.prompt }));
        item.appendChild(feedbackBlock(k).node);
        review.appendChild(item);
      });
      section.appendChild(el("h2", { className: "review-title", text: "Review your answers" }));
      section.appendChild(review);
    }
    main.appendChild(section);
    if (announceIt) announce(summary + (totals.passed === null ? "" : totals.passed ? " Passed." : " Not passed."));
    focusHeading(heading);
  }

  var SAVED = {
    lms: "Your result has been sent to your learning platform. You can close this page.",
    preview: "Preview mode: your result was not sent anywhere.",
    standalone: "This practice quiz keeps no record: your answers and result stay on this page.",
  };

  // Standalone mode only: nothing was sent anywhere, so a new attempt simply starts over.
  function restart() {
    state = freshState();
    answeredAt = planned.order.map(function () { return null; });
    focusHeading(showQuestion(0));
  }

  function showIntro() {
    main.textContent = "";
    document.getElementById("progress").textContent = "";
    var intro = el("section", { className: "intro", "aria-labelledby": "intro-heading" });
    intro.appendChild(el("h2", { id: "intro-heading", className: "sr-only", text: "About this quiz" }));
    if (data.description) intro.appendChild(el("div", { className: "description", html: data.description }));
    var facts = el("ul", { className: "facts" });
    facts.appendChild(el("li", { text: plural(questionCount(), "question") + "." }));
    if (data.passing_score !== null && data.passing_score !== undefined) {
      facts.appendChild(el("li", { text: "You need " + Math.round(data.passing_score * 10000) / 100 + "% to pass." }));
    }
    var when = {
      immediately: "You can check each answer as you go; the explanation follows.",
      on_submit: "You see feedback and explanations after you submit the quiz.",
      never: "You see your score after you submit the quiz.",
    }[data.show_feedback];
    if (when) facts.appendChild(el("li", { text: when }));
    intro.appendChild(facts);
    var start = button("Start quiz", function () {
      var heading = showQuestion(0);
      focusHeading(heading);
    }, "primary start");
    intro.appendChild(el("div", { className: "actions" }, [start]));
    main.appendChild(intro);
  }

  function leave() {
    if (!lms || !state) return;
    leaveScreen();
    lms.leave(suspendText(), state.position, state.done);
  }

  function freshState() {
    var seed = (Math.random() * 4294967296) >>> 0;
    planned = Q.plan(data, seed);
    return {
      fingerprint: data.fingerprint, seed: seed, position: 0, done: false,
      entries: planned.order.map(function () { return { response: null, checked: false, ms: 0 }; }),
    };
  }

  function start() {
    main = document.getElementById("main");
    var lang = data.language || "en";
    Q.setLanguage(lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = RTL.indexOf(lang.split("-")[0].toLowerCase()) >= 0 ? "rtl" : "ltr";
    document.title = data.title;
    document.getElementById("quiz-title").textContent = data.title;

    lms = L.connect(window, data.scorm);
    if (lms.mode === "preview") document.getElementById("preview-banner").hidden = false;
    var info = lms.start();
    var restored = Q.decodeSuspend(data, info.suspend);
    if (restored) {
      state = restored;
      planned = Q.plan(data, state.seed);
    } else {
      state = freshState();
    }
    answeredAt = planned.order.map(function () { return null; });
    window.addEventListener("pagehide", leave);
    window.addEventListener("beforeunload", leave);
    window.PackagerPlayer = { state: function () { return state; }, plan: function () { return planned; }, lms: lms };

    if (restored && state.done) {
      showResults(Q.totals(data, planned.order, state.entries.map(function (e) { return e.response; })), false);
    } else if (restored) {
      var k = Math.min(state.position, planned.order.length - 1);
      focusHeading(showQuestion(k, "Welcome back: your earlier answers have been restored."));
    } else {
      showIntro();
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
