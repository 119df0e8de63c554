/* preview.js: the review tools of a bank page (packager preview).
 *
 * The page is complete without this script (every key, explanation and note is in the HTML).
 * It adds "try it" (the key, explanation and export notes hide; the reviewer answers; Check
 * answer reveals them with a verdict) and the type and tag filters. Answers are scored by
 * the SCORM player's own quiz.js on the player's own data for the bank (quiz-data.js), so
 * the preview grades exactly as the package will. What it reads from the page is described
 * in packager/preview/question_view.py.
 */
(function () {
  "use strict";

  var data = window.PACKAGER_QUIZ;
  var Quiz = window.PackagerQuiz;
  var tools = document.getElementById("Tools");
  if (!data || !Quiz || !tools) return;
  Quiz.setLanguage(data.language || "en");

  var indexOf = {};
  data.questions.forEach(function (q, i) { indexOf[q.id] = i; });
  var articles = Array.prototype.slice.call(document.querySelectorAll("article.question"));
  var tryButton = document.getElementById("TryIt");
  var typeFilter = document.getElementById("TypeFilter");
  var tagFilter = document.getElementById("TagFilter");
  var shown = document.getElementById("Shown");
  var planned = null;

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  // Matches listed as the player lists them, sorted for the bank's language (the page's
  // own order is by code point: "Banana" before "apple", "Éclair" last).
  all(document, "select[data-pair]").forEach(function (select) {
    var options = Array.prototype.slice.call(select.options, 1);
    options.sort(function (a, b) { return a.value.localeCompare(b.value, data.language); });
    options.forEach(function (option) { select.appendChild(option); });
  });

  function questionOf(article) {
    return data.questions[indexOf[article.id]];
  }

  // The player's own plan over every question (no section draws): ordering items start
  // shuffled, never in the correct order, exactly as a learner first sees them.
  function itemOrder(article) {
    if (!planned) {
      var every = data.questions.map(function (_, i) { return i; });
      planned = Quiz.plan({ sections: [{ id: "all", pick: null, questions: every }], questions: data.questions }, 1);
    }
    return planned.itemOrder[indexOf[article.id]];
  }

  function arrange(article, order) {
    var list = article.querySelector("ol.ordering");
    if (!list) return;
    order.forEach(function (item) {
      list.appendChild(list.querySelector('li[data-item="' + item + '"]'));
    });
  }

  function authoredOrder(article) {
    return all(article, "ol.ordering > li").map(function (_, i) { return i; });
  }

  // ---------------------------------------------------------------- the reviewer's answer
  function response(q, article, form) {
    var checked = all(form, "input:checked");
    switch (q.type) {
      case "single_choice":
        return checked.length ? Number(checked[0].value) : null;
      case "multiple_response":
        return checked.map(function (c) { return Number(c.value); }).sort(function (a, b) { return a - b; });
      case "true_false":
        return checked.length ? checked[0].value === "true" : null;
      case "short_answer":
      case "numeric":
      case "essay":
        return form.querySelector('[name="answer"]').value;
      case "matching":
        return q.pairs.map(function (_, i) {
          var value = form.querySelector('select[data-pair="' + i + '"]').value;
          return value === "" ? -1 : q.options.indexOf(value);
        });
      case "ordering":
        return all(form, "ol.ordering > li").map(function (li) { return Number(li.getAttribute("data-item")); });
      case "fill_in_blanks":
        return q.blanks.map(function (blank) {
          var box = article.querySelector('input[data-blank="' + blank.id + '"]');
          return box ? box.value : "";
        });
      default:
        return null;
    }
  }

  function points(value) {
    return String(Math.round(value * 100) / 100);
  }

  function ofPoints(max) {
    return " of " + points(max) + (points(max) === "1" ? " point." : " points.");
  }

  function check(article, form) {
    var q = questionOf(article);
    var result = Quiz.score(q, response(q, article, form));
    var verdict = form.querySelector(".verdict");
    var kind;
    var text;
    if (!result.answered) {
      kind = "unscored";
      text = "Not answered. The key is shown below.";
    } else if (!result.scored) {
      kind = "unscored";
      text = "Not scored automatically: compare your answer with the key below.";
    } else if (result.correct) {
      kind = "correct";
      text = "Correct: " + points(result.earned) + ofPoints(result.max);
    } else if (result.earned > 0) {
      kind = "partial";
      text = "Partly correct: " + points(result.earned) + ofPoints(result.max);
    } else {
      kind = "incorrect";
      text = "Incorrect: 0" + ofPoints(result.max);
    }
    verdict.className = "verdict " + kind;
    verdict.textContent = text;
    article.classList.add("revealed");
  }

  function clear(article) {
    var verdict = article.querySelector(".verdict");
    if (verdict) {
      verdict.className = "verdict";
      verdict.textContent = "";
    }
    article.classList.remove("revealed");
  }

  // What a form's reset did: every control of the question (the blanks are in its prompt)
  // back to the value the page gave it, the verdict cleared, ordering items reshuffled.
  function reset(article) {
    all(article, "input, textarea, select").forEach(function (control) {
      if (control.type === "radio" || control.type === "checkbox") {
        control.checked = control.defaultChecked;
      } else if (control.tagName === "SELECT") {
        all(control, "option").forEach(function (option) { option.selected = option.defaultSelected; });
        if (!control.querySelector("option[selected]")) control.selectedIndex = 0;
      } else {
        control.value = control.defaultValue;
      }
    });
    clear(article);
  }

  function trying() {
    return document.body.classList.contains("trying");
  }

  function setTrying(on) {
    document.body.classList.toggle("trying", on);
    tryButton.setAttribute("aria-pressed", on ? "true" : "false");
    articles.forEach(function (article) {
      reset(article);
      if (article.querySelector("ol.ordering")) {
        arrange(article, on ? itemOrder(article) : authoredOrder(article));
      }
    });
  }

  // ---------------------------------------------------------------- events
  tryButton.addEventListener("click", function () { setTrying(!trying()); });

  articles.forEach(function (article) {
    var form = article.querySelector(".response");
    if (!form) return;
    form.querySelector("button.check").addEventListener("click", function () {
      if (trying()) check(article, form);
    });
    form.querySelector("button.again").addEventListener("click", function () {
      reset(article);
      if (article.querySelector("ol.ordering")) arrange(article, itemOrder(article));
    });
    // In a text box (the blanks too, in the prompt), Enter checks, as a form's submit did.
    all(article, 'input[type="text"]').forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        event.preventDefault();
        if (trying()) check(article, form);
      });
    });
    // Enter picks a choice, as Space does.
    all(form, 'input[type="radio"], input[type="checkbox"]').forEach(function (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") return;
        event.preventDefault();
        if (input.type === "checkbox" || !input.checked) input.click();
      });
    });
    all(form, "button.move").forEach(function (button) {
      button.addEventListener("click", function () {
        var li = button.parentNode;
        var list = li.parentNode;
        if (button.getAttribute("data-move") === "up" && li.previousElementSibling) {
          list.insertBefore(li, li.previousElementSibling);
        } else if (button.getAttribute("data-move") === "down" && li.nextElementSibling) {
          list.insertBefore(li.nextElementSibling, li);
        }
        button.focus();
      });
    });
  });

  // ---------------------------------------------------------------- filters
  var tagsOf = articles.map(function (article) {
    return all(article, "[data-tag]").map(function (el) { return el.getAttribute("data-tag"); });
  });

  function applyFilters() {
    var type = typeFilter.value;
    var tag = tagFilter.value;
    var count = 0;
    articles.forEach(function (article, i) {
      var keep = (!type || article.getAttribute("data-type") === type) &&
        (!tag || tagsOf[i].indexOf(tag) >= 0);
      article.hidden = !keep;
      if (keep) count += 1;
    });
    shown.textContent = count + " of " + articles.length + " questions shown";
  }

  typeFilter.addEventListener("change", applyFilters);
  tagFilter.addEventListener("change", applyFilters);
  tools.hidden = false;
  applyFilters();
})();
