// jiyu serve: the search page. Plain JavaScript, no libraries, served from the binary.
//
// Everything shown comes from the JSON API (/api/search, /api/answers/{id}) and is put into
// the page as text nodes (textContent, createElement), never as HTML: answers are untrusted
// text, and the server's Content-Security-Policy refuses inline scripts besides.
"use strict";

(function () {
  const NO_ANSWER = "no-answer";
  const UNCLASSIFIED = "unclassified";
  const DEBOUNCE_MS = 250;
  // Answers below this confidence are 要確認 (classify::REVIEW_BELOW; /api/meta says it too).
  let reviewBelow = 0.5;
  const RANKS = "①②③④⑤⑥⑦⑧⑨⑩";

  const $ = (id) => document.getElementById(id);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const writable = document.querySelector("main").dataset.writable === "yes";

  const state = {
    q: "",
    question: new Set(),
    category: new Set(),
    basis: new Set(),
    where: new Map(), // attribute name -> Set of values
    below: false, // 要確認のみ: confidence below reviewBelow
    sort: "relevance", // or "confidence": least confident first
    exact: false, // the words as typed only: no synonyms, no categories
    relatedWord: null, // the request (word and questions) the 関連語 panel shows
    offset: 0,
    limit: 20,
    total: 0,
    hits: [],
    selected: -1,
    review: false,
    reviewed: 0,
    // Hits of the shown page corrected out of the category filter: the next page starts that
    // many answers earlier.
    removed: 0,
    detail: null,
    choice: [],
    meta: null,
    seq: 0,
    openAfterLoad: null,
    categoryLabels: {},
    basisLabels: {},
    view: "hits", // or "crosstab" (集計), "kwic" or "words" (語)
    by: "", // the attribute of the 集計 view's columns
    kwicSort: "id",
    kwicAttribute: "", // the attribute shown beside each KWIC line
    panelSeq: 0,
    listedAttributes: [],
  };
  let controller = null;
  let debounce = null;

  // el("li", {class: "x"}, "text", child) — strings become text nodes, never HTML.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
    }
    return node;
  }

  const number = (n) => Number(n).toLocaleString("ja-JP");
  // 「確信度 0.87」, or nothing for an answer without a confidence.
  const confidenceText = (c) => (c === null || c === undefined ? "" : "確信度 " + Number(c).toFixed(2));

  // Text with the character ranges [[start, end], …] wrapped in <mark> (offsets in code points),
  // each with its title and class when given.
  function marked(text, ranges, titles, classes) {
    const chars = Array.from(text);
    const owner = new Array(chars.length).fill(-1);
    ranges.forEach(([start, end], index) => {
      for (let i = Math.max(0, start); i < Math.min(end, chars.length); i++) owner[i] = index;
    });
    const out = [];
    let i = 0;
    while (i < chars.length) {
      let j = i;
      while (j < chars.length && owner[j] === owner[i]) j++;
      const piece = chars.slice(i, j).join("");
      if (owner[i] >= 0) {
        out.push(el("mark", {
          title: titles ? titles[owner[i]] : null,
          class: classes ? classes[owner[i]] : null,
        }, piece));
      } else {
        out.push(piece);
      }
      i = j;
    }
    return out;
  }

  // ---- URL and parameters -------------------------------------------------------------

  function params(withPage) {
    const p = new URLSearchParams();
    if (state.q.trim()) p.set("q", state.q);
    for (const v of state.question) p.append("question", v);
    for (const v of state.category) p.append("category", v);
    for (const v of state.basis) p.append("basis", v);
    if (state.below) p.set("below", String(reviewBelow));
    if (state.sort !== "relevance") p.set("sort", state.sort);
    if (state.exact) p.set("exact", "1");
    for (const [name, values] of state.where) {
      for (const v of values) p.append("where", name + "=" + v);
    }
    if (withPage) {
      if (state.offset) p.set("offset", String(state.offset));
      p.set("limit", String(state.limit));
    }
    return p;
  }

  function readUrl() {
    const p = new URLSearchParams(location.search);
    state.q = p.get("q") || "";
    state.question = new Set(p.getAll("question"));
    state.category = new Set(p.getAll("category"));
    state.basis = new Set(p.getAll("basis"));
    state.below = p.has("below");
    if (state.below) reviewBelow = Number(p.get("below")) || reviewBelow;
    state.sort = p.get("sort") === "confidence" ? "confidence" : "relevance";
    $("sort").value = state.sort;
    state.exact = p.get("exact") === "1";
    $("exact").checked = state.exact;
    state.where = new Map();
    for (const pair of p.getAll("where")) {
      const at = pair.indexOf("=");
      if (at > 0) addWhere(pair.slice(0, at), pair.slice(at + 1));
    }
    state.offset = Math.max(0, parseInt(p.get("offset") || "0", 10) || 0);
    state.openAfterLoad = p.get("open");
    $("q").value = state.q;
    state.view = ["crosstab", "kwic", "words"].includes(p.get("view")) ? p.get("view") : "hits";
    state.by = p.get("by") || "";
  }

  function writeUrl() {
    const p = params(false);
    if (state.offset) p.set("offset", String(state.offset));
    if (state.view !== "hits") p.set("view", state.view);
    if (state.by) p.set("by", state.by);
    const query = p.toString();
    history.replaceState(null, "", query ? "/?" + query : "/");
    $("csv").href = "/api/search.csv" + (params(false).toString() ? "?" + params(false) : "");
  }

  function addWhere(name, value) {
    if (!state.where.has(name)) state.where.set(name, new Set());
    state.where.get(name).add(value);
  }

  // ---- Searching ----------------------------------------------------------------------

  async function getJson(url, signal) {
    const response = await fetch(url, {
      signal,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = { error: "サーバーの応答を読めません（" + response.status + "）" };
    }
    return { ok: response.ok, status: response.status, body };
  }

  async function search(options) {
    const opts = options || {};
    const seq = ++state.seq;
    if (controller) controller.abort();
    controller = new AbortController();
    writeUrl();
    $("summary").textContent = "検索中…";
    let result;
    try {
      result = await getJson("/api/search?" + params(true), controller.signal);
    } catch (err) {
      if (err.name === "AbortError") return;
      showQueryError("サーバーに接続できません。サーバーが動いているか確かめてください。");
      return;
    }
    if (seq !== state.seq) return;
    if (!result.ok) {
      showQueryError(result.body.error || "検索できません");
      $("summary").textContent = "";
      return;
    }
    showQueryError(null);
    render(result.body);
    loadRelated();
    loadPanel();
    if (opts.select !== undefined && state.hits.length) {
      select(opts.select === "last" ? state.hits.length - 1 : opts.select);
    } else if (state.review && !state.hits.length) {
      endReview("この条件の回答はもうありません。");
    }
    if (state.openAfterLoad) {
      const id = state.openAfterLoad;
      state.openAfterLoad = null;
      const index = state.hits.findIndex((hit) => hit.id === id);
      if (index >= 0) select(index);
      else openDetail(id);
    }
  }

  // After a correction: new counts for the filters and the chart, the list left as it is so
  // the walk through it is not disturbed.
  async function refreshCounts() {
    const p = params(false);
    p.set("limit", "0");
    try {
      const result = await getJson("/api/search?" + p);
      if (!result.ok) return;
      state.total = result.body.total;
      renderSummary();
      renderFilters(result.body.filters);
      renderChart(result.body);
    } catch (_) {
      // The list is still right; the counts catch up with the next search.
    }
  }

  function showQueryError(message) {
    const box = $("query-error");
    box.replaceChildren();
    if (!message) {
      box.hidden = true;
      return;
    }
    const [first, ...rest] = message.split("\n");
    box.append(el("p", null, first));
    if (rest.length) box.append(el("pre", null, rest.join("\n")));
    box.hidden = false;
  }

  function render(body) {
    state.total = body.total;
    state.offset = body.offset;
    state.hits = body.hits;
    state.selected = -1;
    state.removed = 0;
    renderSummary();
    for (const entry of body.filters.category) state.categoryLabels[entry.value] = entry.label;
    for (const entry of body.filters.basis) state.basisLabels[entry.value] = entry.label;
    state.listedAttributes = body.filters.attributes.map((attribute) => attribute.name);
    renderActive();
    renderWarnings(body.warnings || []);
    renderChart(body);
    renderHits();
    renderFilters(body.filters);
    renderPager();
  }

  function renderSummary() {
    const from = state.hits.length ? state.offset + 1 : 0;
    const to = state.offset + state.hits.length;
    $("summary").replaceChildren(
      el("strong", null, number(state.total)),
      " 件の回答",
      state.hits.length ? "（" + number(from) + "～" + number(to) + " 件目）" : ""
    );
  }

  // The ticked filters above the hits, each with a button that removes it, so a filter set
  // far down the list is never forgotten.
  function renderActive() {
    const chips = [];
    const add = (kind, value, text, attribute) => chips.push(el("li", null, text, " ",
      el("button", {
        type: "button",
        class: "link",
        "aria-label": text + " の絞り込みを外す",
        onclick: () => toggleFilter(kind, value, false, attribute),
      }, "×")));
    for (const v of state.question) add("question", v, "設問: " + v);
    for (const v of state.category) add("category", v, "カテゴリ: " + (state.categoryLabels[v] || v));
    for (const v of state.basis) add("basis", v, "根拠: " + (state.basisLabels[v] || v));
    if (state.below) {
      const text = "要確認のみ（確信度 " + reviewBelow + " 未満）";
      chips.push(el("li", null, text, " ", el("button", {
        type: "button",
        class: "link",
        "aria-label": text + " の絞り込みを外す",
        onclick: () => setBelow(false),
      }, "×")));
    }
    for (const [name, values] of state.where) {
      for (const v of values) add("where", v, name + ": " + v, name);
    }
    $("active").replaceChildren(...chips);
    $("active").hidden = chips.length === 0;
  }

  function renderWarnings(warnings) {
    $("warnings").replaceChildren(...warnings.map((w) => el("li", null, w)));
  }

  function renderChart(body) {
    const entries = Object.entries(body.facets || {});
    const labels = body.facet_labels || {};
    const total = body.total || 0;
    $("chart").hidden = entries.length === 0 || state.view !== "hits";
    const bars = entries.map(([category, count]) => {
        const share = total ? (100 * count) / total : 0;
        const fill = el("span", { class: "bar-fill" });
        fill.style.width = share.toFixed(1) + "%";
        return el(
          "li",
          null,
          el(
            "button",
            {
              type: "button",
              class: "bar-label link",
              title: "このカテゴリで絞り込む",
              onclick: () => toggleFilter("category", category, !state.category.has(category)),
            },
            labels[category] || category
          ),
          el("span", { class: "bar-track", "aria-hidden": "true" }, fill),
          el("span", { class: "bar-value" }, number(count) + " 件（" + share.toFixed(1) + "%）")
        );
      });
    // The eight largest; the rest folded, so the hits stay near the top of the page.
    const folded = bars.length > 8
      ? el("details", { class: "more-bars" },
        el("summary", null, "ほか " + (bars.length - 8) + " カテゴリ"), el("ol", null, bars.slice(8)))
      : null;
    $("bars").replaceChildren(...bars.slice(0, 8));
    $("bars-more").replaceChildren(...(folded ? [folded] : []));
  }

  function hitItem(hit, index) {
    const chips = hit.categories.map((category, i) =>
      el("span", { class: "chip" + (hit.overridden ? " corrected" : ""), "data-category": category },
        hit.labels[i] || category)
    );
    const attrs = Object.entries(hit.attributes || {}).map(([k, v]) => k + ": " + v);
    const confidence = confidenceText(hit.confidence);
    return el(
      "li",
      { class: "hit", "data-id": hit.id },
      el(
        "button",
        {
          type: "button",
          class: "hit-main",
          "aria-current": index === state.selected ? "true" : null,
          onclick: () => select(index),
        },
        el(
          "span",
          { class: "hit-head" },
          el("span", { class: "hit-id" }, hit.id),
          el("span", { class: "hit-q" }, hit.question),
          hit.overridden ? el("span", { class: "badge" }, "修正済み") : null,
          chips
        ),
        el("span", { class: "hit-conf", "data-basis": hit.basis },
          confidence ? el("span", { class: "conf" + (isDoubtful(hit.confidence) ? " doubtful" : "") }, confidence) : null,
          " ", el("span", { class: "basis" }, hit.basis_label)),
        el("span", { class: "snippet" }, marked(hit.snippet, hit.highlights || [])),
        meaningLine(hit),
        attrs.length ? el("span", { class: "hit-attrs" }, attrs.join("　")) : null
      )
    );
  }

  // Searching by meaning: the synonyms found in the answer, and the categories it was found
  // through (カテゴリ『…』に該当), when it was not the words as typed.
  function meaningLine(hit) {
    const synonyms = (hit.matched || []).filter((found) => found.synonym_of);
    const concepts = hit.concepts || [];
    if (!synonyms.length && !concepts.length) return null;
    return el("span", { class: "meaning" },
      synonyms.length
        ? el("span", { class: "synonyms" }, "同義語: " +
          synonyms.map((found) => found.word + "（" + found.synonym_of + "）").join("、"))
        : null,
      concepts.map((concept) => el("span", { class: "concept", title: concept.reason }, concept.mark)));
  }

  // ---- Related words (関連語) ------------------------------------------------------------

  // The first word of the query (not excluded, not a phrase, not OR).
  function firstWord(query) {
    for (const word of query.trim().split(/[\s\u3000]+/)) {
      if (word && word !== "OR" && word !== "ＯＲ" && !/^[-－"＂“”]/.test(word)) return word;
    }
    return null;
  }

  async function loadRelated() {
    const word = firstWord(state.q);
    const panel = $("related");
    if (!word) {
      state.relatedWord = null;
      panel.hidden = true;
      return;
    }
    // The panel counts within the questions the 設問 filter keeps, as the hits do.
    const params = new URLSearchParams({ word: word, limit: "12" });
    for (const v of state.question) params.append("question", v);
    const key = params.toString();
    if (key === state.relatedWord) return;
    state.relatedWord = key;
    let result;
    try {
      result = await getJson("/api/related?" + key);
    } catch (_) {
      return;
    }
    if (state.relatedWord !== key) return;
    if (!result.ok) {
      panel.hidden = true;
      return;
    }
    renderRelated(result.body);
  }

  function renderRelated(body) {
    const panel = $("related");
    const chip = (word, count, title) => el("button", {
      type: "button",
      class: "related-word link",
      title: title,
      onclick: () => {
        state.q = word;
        $("q").value = word;
        state.offset = 0;
        search();
      },
    }, word, el("small", null, count));
    const synonyms = body.synonyms.map((s) =>
      chip(s.word, number(s.answers) + "件", s.group + "（クリックでこの語を検索）"));
    const cooccurring = body.cooccurring.map((c) =>
      chip(c.word, c.jaccard.toFixed(2), "両方を含む回答 " + c.shared + " 件、この語を含む回答 " + c.answers +
        " 件（クリックでこの語を検索）"));
    panel.replaceChildren(
      el("h2", null, "「" + body.word + "」の関連語"),
      el("p", null, el("strong", null, "同義語: "),
        synonyms.length ? synonyms : el("span", { class: "muted" }, "なし")),
      el("p", null, el("strong", null, "よく一緒に出る語: "),
        cooccurring.length ? cooccurring : el("span", { class: "muted" }, "なし"),
        el("small", { class: "muted" }, "（数字は Jaccard 係数: 両方を含む回答 ÷ どちらかを含む回答）")));
    panel.hidden = false;
  }

  // Whether a confidence is below the 要確認 bound.
  function isDoubtful(confidence) {
    return confidence !== null && confidence !== undefined && confidence < reviewBelow;
  }

  function renderHits() {
    const list = $("hits");
    if (!state.hits.length) {
      list.replaceChildren(el("li", { class: "empty" }, "該当する回答はありません。"));
      return;
    }
    list.replaceChildren(...state.hits.map(hitItem));
  }

  function renderPager() {
    const pages = Math.max(1, Math.ceil(state.total / state.limit));
    const page = Math.floor(state.offset / state.limit) + 1;
    $("page-info").textContent = "ページ " + number(page) + " / " + number(pages);
    $("page-input").max = String(pages);
    $("page-input").value = String(page);
    $("prev").disabled = state.offset === 0;
    $("next").disabled = state.offset + state.limit >= state.total;
    $("pager").hidden = state.view !== "hits" || (state.total <= state.limit && state.offset === 0);
  }

  function renderFilters(filters) {
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.key
      : null;
    const groups = [];
    groups.push(group("設問", "question", null, filters.question.map((v) => [v.value, v.value, v.count])));
    // Categories by count, so the ones that matter for these hits come first (ties keep the
    // schemes' order).
    const categories = filters.category
      .map((v, order) => [v.value, v.label, v.count, v.label === v.value ? null : v.value, order])
      .sort((a, b) => b[2] - a[2] || a[4] - b[4]);
    groups.push(group("カテゴリ", "category", null, categories));
    groups.push(netGroup(filters.category_groups));
    groups.push(reviewGroup(filters.review));
    groups.push(group("分類の根拠", "basis", null, filters.basis.map((v) => [v.value, v.label, v.count])));
    for (const attribute of filters.attributes) {
      groups.push(group(attribute.name, "where", attribute.name,
        attribute.values.map((v) => [v.value, v.value, v.count])));
    }
    $("filter-groups").replaceChildren(...groups.filter(Boolean));
    if (focused) {
      const again = document.querySelector('[data-key="' + CSS.escape(focused) + '"]');
      if (again) again.focus();
    }
  }

  // One line of a filter list: a checkbox (its data-key keeps the focus across renders; `toggle`
  // gets whether it is ticked), the label, the id when it differs, and the count.
  function facetItem(key, checked, toggle, label, id, count) {
    const box = el("input", {
      type: "checkbox",
      "data-key": key,
      checked,
      onchange: (event) => toggle(event.target.checked),
    });
    return el("li", null, el("label", { class: count ? null : "muted" }, box,
      el("span", { class: "facet-name" }, label, id ? el("small", { class: "facet-id" }, id) : null),
      el("span", { class: "count" }, number(count))));
  }

  // One filter list: [value, label, count] entries; values with no answers are hidden unless
  // ticked, long lists fold after the first dozen.
  function group(title, kind, attribute, entries) {
    const selected = kind === "where" ? state.where.get(attribute) || new Set() : state[kind];
    const shown = entries.filter(([value, , count]) => count > 0 || selected.has(value));
    if (!shown.length) return null;
    const items = shown.map(([value, label, count, id]) =>
      facetItem(kind + ":" + (attribute || "") + ":" + value, selected.has(value),
        (on) => toggleFilter(kind, value, on, attribute), label, id, count));
    const list = el("ul", { class: "facet" }, items.slice(0, 12));
    const rest = items.length > 12
      ? el("details", { open: items.slice(12).some((item) => item.querySelector("input").checked) },
        el("summary", null, "ほか " + (items.length - 12) + " 件"), el("ul", { class: "facet" }, items.slice(12)))
      : null;
    return el("fieldset", null, el("legend", null, title), list, rest);
  }

  // The groups of categories (NET): each with the answers having any of its members (once);
  // ticking one ticks all its members in the category list, so the hits are the group's.
  function netGroup(nets) {
    const shown = (nets || []).filter((net) => net.count > 0 || netTicked(net));
    if (!shown.length) return null;
    const items = shown.map((net) =>
      facetItem("net:" + net.id, netTicked(net), (on) => toggleNet(net, on), "NET：" + net.label, net.id, net.count));
    return el("fieldset", null, el("legend", null, "カテゴリのグループ（NET）"), el("ul", { class: "facet" }, items));
  }

  function netTicked(net) {
    return net.members.length > 0 && net.members.every((member) => state.category.has(member));
  }

  function toggleNet(net, on) {
    for (const member of net.members) {
      if (on) state.category.add(member);
      else state.category.delete(member);
    }
    state.offset = 0;
    search();
  }

  // 要確認のみ: one checkbox with the number of answers below the bound (the other filters kept).
  function reviewGroup(review) {
    const box = el("input", {
      type: "checkbox",
      id: "below",
      "data-key": "below",
      checked: state.below,
      onchange: (event) => setBelow(event.target.checked),
    });
    return el("fieldset", null, el("legend", null, "確信度"),
      el("ul", { class: "facet" }, el("li", null, el("label", { class: review.count || state.below ? null : "muted" }, box,
        el("span", { class: "facet-name" }, "要確認のみ（確信度 " + review.below + " 未満）"),
        el("span", { class: "count" }, number(review.count))))));
  }

  function setBelow(on) {
    state.below = on;
    state.offset = 0;
    search();
  }

  function toggleFilter(kind, value, on, attribute) {
    if (kind === "where") {
      if (on) addWhere(attribute, value);
      else if (state.where.has(attribute)) {
        state.where.get(attribute).delete(value);
        if (!state.where.get(attribute).size) state.where.delete(attribute);
      }
    } else if (on) state[kind].add(value);
    else state[kind].delete(value);
    state.offset = 0;
    search();
  }

  // ---- Views: 集計 (categories × an attribute) and KWIC -----------------------------------

  // The attributes the 集計 view can cross with (those with a filter list), else every one.
  function attributeNames(listed) {
    if (listed) return state.listedAttributes;
    return state.meta ? state.meta.attributes : [];
  }

  function fillSelect(select, names, chosen) {
    select.replaceChildren(...names.map((name) => el("option", { value: name, selected: name === chosen }, name)));
  }

  function showView(view) {
    state.view = view;
    for (const button of document.querySelectorAll("#views button")) {
      button.setAttribute("aria-selected", String(button.dataset.view === view));
    }
    const hits = view === "hits";
    // The chart shows again with the next search's counts.
    if (!hits) $("chart").hidden = true;
    $("hits").hidden = !hits;
    renderPager();
    $("crosstab").hidden = view !== "crosstab";
    $("kwic").hidden = view !== "kwic";
    $("words").hidden = view !== "words";
    writeUrl();
  }

  // The panel of the current view, for the current search and filters.
  async function loadPanel() {
    if (state.view === "crosstab") await loadCrosstab();
    else if (state.view === "kwic") await loadKwic();
    else if (state.view === "words") await loadWords();
  }

  async function loadCrosstab() {
    const names = attributeNames(true);
    const box = $("crosstab-table");
    if (!names.length) {
      box.replaceChildren(el("p", { class: "muted" }, "この索引の回答には属性（業種など）がないため、集計できません。"));
      return;
    }
    if (!names.includes(state.by)) state.by = names[0];
    fillSelect($("crosstab-by"), names, state.by);
    writeUrl();
    const p = params(false);
    p.set("by", state.by);
    const seq = ++state.panelSeq;
    box.setAttribute("aria-busy", "true");
    let result;
    try {
      result = await getJson("/api/crosstab?" + p);
    } catch (_) {
      return;
    }
    if (seq !== state.panelSeq) return;
    box.removeAttribute("aria-busy");
    if (!result.ok) {
      box.replaceChildren(el("p", { class: "error" }, result.body.error || "集計できません"));
      return;
    }
    renderCrosstab(result.body);
  }

  const percent = (share) => (share * 100).toFixed(1) + "%";

  // A cell's mark: ▲ (more than expected) or ▽ (fewer), with its residual as the title.
  function residualMark(cell) {
    if (!cell.mark) return null;
    return el("span", { class: cell.mark === "▲" ? "up" : "down", title: "調整済み残差 " + cell.residual.toFixed(2) },
      cell.mark);
  }

  function renderCrosstab(body) {
    const box = $("crosstab-table");
    if (!body.total) {
      box.replaceChildren(el("p", { class: "muted" }, "該当する回答はありません。"));
      return;
    }
    const head = el("tr", null, el("th", { scope: "col" }, "カテゴリ"),
      body.columns.map((column) => el("th", { scope: "col" }, column.label)),
      el("th", { scope: "col" }, "全体"));
    const rows = body.rows.map((row) => el("tr", { "data-category": row.category },
      el("th", { scope: "row" }, row.label),
      row.cells.map((cell, i) => {
        const column = body.columns[i];
        const text = [number(cell.count), el("span", { class: "share" }, percent(cell.share)), residualMark(cell)];
        // A cell of answers without a value cannot be filtered to: it shows its count only.
        if (!cell.count || column.value === null) return el("td", null, text);
        return el("td", null, el("button", {
          type: "button",
          class: "link cell",
          "data-value": column.value,
          title: row.label + " × " + body.attribute + "「" + column.label + "」の回答 " + number(cell.count) + " 件を表示",
          onclick: () => showCell(row.category, body.attribute, column.value),
        }, text));
      }),
      el("td", null, el("button", {
        type: "button",
        class: "link cell",
        title: row.label + " の回答 " + number(row.total) + " 件を表示",
        onclick: () => showCell(row.category, null, null),
      }, number(row.total), el("span", { class: "share" }, percent(row.share))))));
    const foot = el("tr", null, el("th", { scope: "row" }, "回答数"),
      body.columns.map((column) => el("td", null, number(column.answers))),
      el("td", null, number(body.total)));
    const parts = [el("table", null, el("thead", null, head), el("tbody", null, rows), el("tfoot", null, foot))];
    parts.push(el("p", { class: "muted note" }, body.note));
    box.replaceChildren(...parts);
  }

  // Shows the answers of a cell: its category and attribute value as the only filters of
  // their kinds (the query and other filters kept), in the list.
  function showCell(category, attribute, value) {
    state.category = new Set([category]);
    if (attribute !== null) state.where.set(attribute, new Set([value]));
    state.offset = 0;
    showView("hits");
    search();
  }


  async function loadKwic() {
    const word = firstWord(state.q);
    const box = $("kwic-lines");
    const names = attributeNames();
    if (!names.includes(state.kwicAttribute)) state.kwicAttribute = names.includes(state.by) ? state.by : names[0] || "";
    fillSelect($("kwic-attribute"), names, state.kwicAttribute);
    $("kwic-sort").value = state.kwicSort;
    if (!word) {
      $("kwic-word").textContent = "";
      $("kwic-csv").hidden = true;
      box.replaceChildren(el("p", { class: "muted" }, "検索語を入れると、その最初の語の前後をヒットした回答から並べます。"));
      return;
    }
    const p = params(false);
    p.set("word", word);
    p.set("kwic_sort", state.kwicSort);
    p.set("width", "20");
    $("kwic-csv").href = "/api/kwic.csv?" + p;
    $("kwic-csv").hidden = false;
    const seq = ++state.panelSeq;
    let result;
    try {
      result = await getJson("/api/kwic?" + p);
    } catch (_) {
      return;
    }
    if (seq !== state.panelSeq) return;
    if (!result.ok) {
      box.replaceChildren(el("p", { class: "error" }, result.body.error || "KWIC を作れません"));
      return;
    }
    renderKwic(result.body);
  }

  function renderKwic(body) {
    const attribute = state.kwicAttribute;
    $("kwic-word").replaceChildren("「", el("strong", null, body.word), "」の出現 ", el("strong", null, number(body.lines)), " 箇所",
      body.hits_read < body.total ? "（ヒットの先頭 " + number(body.hits_read) + " 件から）" : "",
      body.shown.length < body.lines ? "、先頭 " + number(body.shown.length) + " 行を表示" : "");
    const box = $("kwic-lines");
    if (!body.shown.length) {
      box.replaceChildren(el("p", { class: "muted" }, "ヒットした回答にこの語の出現はありません（意味で見つけた回答には語そのものがないことがあります）。"));
      return;
    }
    const head = el("tr", null, el("th", null, "回答"), el("th", null, "前"), el("th", null, "語"), el("th", null, "後"),
      el("th", null, "カテゴリ"), attribute ? el("th", null, attribute) : null);
    const rows = body.shown.map((line) => el("tr", null,
      el("td", null, el("a", { href: "/answers/" + encodeURIComponent(line.id) }, line.id)),
      el("td", { class: "left" }, line.left),
      el("td", { class: "word" }, line.word),
      el("td", { class: "right" }, line.right),
      el("td", null, line.labels.join("、")),
      attribute ? el("td", null, line.attributes[attribute] || "") : null));
    box.replaceChildren(el("table", null, el("thead", null, head), el("tbody", null, rows)));
  }

  // The 語 view: the hits' most used words (a click searches for the word) and their
  // co-occurrence network, both counted by the server over the same hits.
  async function loadWords() {
    const p = params(false);
    p.set("top", "50");
    const seq = ++state.panelSeq;
    const table = $("words-table");
    const network = $("words-network");
    table.setAttribute("aria-busy", "true");
    let result;
    try {
      result = await getJson("/api/words?" + p);
    } catch (_) {
      return;
    }
    if (seq !== state.panelSeq) return;
    table.removeAttribute("aria-busy");
    if (!result.ok) {
      $("words-summary").textContent = "";
      $("words-note").textContent = "";
      table.replaceChildren(el("p", { class: "error" }, result.body.error || "語を数えられません"));
      network.replaceChildren();
      return;
    }
    renderWords(result.body);
    if (!result.body.rows.length) {
      network.replaceChildren(el("p", { class: "muted" }, "描く語がありません。"));
      return;
    }
    network.setAttribute("aria-busy", "true");
    let text;
    let ok;
    try {
      const response = await fetch("/api/network.svg?" + params(false), { credentials: "same-origin" });
      ok = response.ok;
      text = await response.text();
    } catch (_) {
      return;
    }
    if (seq !== state.panelSeq) return;
    network.removeAttribute("aria-busy");
    if (!ok) {
      let message = "共起ネットワークを描けません";
      try {
        message = JSON.parse(text).error || message;
      } catch (_) {}
      network.replaceChildren(el("p", { class: "error" }, message));
      return;
    }
    const parsed = new DOMParser().parseFromString(text, "image/svg+xml");
    const svg = parsed.documentElement;
    if (svg.localName !== "svg" || parsed.querySelector("parsererror")) {
      network.replaceChildren(el("p", { class: "error" }, "共起ネットワークを読めません"));
      return;
    }
    // The page's policy allows no style attribute: each label's style (size, colour, halo) is
    // set through the CSSOM instead.
    const styles = [];
    for (const styled of svg.querySelectorAll("[style]")) {
      styles.push(styled.getAttribute("style"));
      styled.removeAttribute("style");
      styled.setAttribute("data-styled", String(styles.length - 1));
    }
    const picture = document.importNode(svg, true);
    for (const styled of picture.querySelectorAll("[data-styled]")) {
      styled.style.cssText = styles[Number(styled.getAttribute("data-styled"))];
      styled.removeAttribute("data-styled");
    }
    network.replaceChildren(picture);
  }

  function renderWords(body) {
    const questions = body.questions.map((q) => q.question + " " + number(q.hits) + "件").join("、");
    $("words-summary").replaceChildren(
      "ヒットした回答 ", el("strong", null, number(body.read)), " 件",
      body.read < body.total ? "（全 " + number(body.total) + " 件のうち一覧の順で先頭から）" : "",
      questions ? "　設問: " + questions : "",
      "　語を数えた回答 ", el("strong", null, number(body.answers)), " 件");
    $("words-note").textContent = body.note;
    const table = $("words-table");
    if (!body.rows.length) {
      table.replaceChildren(el("p", { class: "muted" }, body.total ? "ヒットした回答に数える語がありません。" : "該当する回答はありません。"));
      return;
    }
    const head = el("tr", null, el("th", { scope: "col" }, "語"), el("th", { scope: "col" }, "品詞"),
      el("th", { scope: "col" }, "回答数"), el("th", { scope: "col" }, "割合"));
    const rows = body.rows.map((row) => el("tr", null,
      el("td", null, el("button", {
        type: "button",
        class: "link word",
        title: "「" + row.word + "」で検索",
        onclick: () => {
          state.q = row.word;
          $("q").value = row.word;
          state.offset = 0;
          showView("hits");
          search();
        },
      }, row.word), row.base !== row.word ? el("span", { class: "base", title: "基本形" }, row.base) : null),
      el("td", null, row.pos),
      el("td", { class: "count" }, number(row.answers)),
      el("td", { class: "count" }, percent(row.share))));
    table.replaceChildren(el("table", null, el("thead", null, head), el("tbody", null, rows)));
  }

  // ---- Detail, corrections and review -------------------------------------------------

  function select(index) {
    if (index < 0 || index >= state.hits.length) return;
    state.selected = index;
    document.querySelectorAll("#hits .hit-main").forEach((button, i) => {
      if (i === index) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    });
    // One column (a narrow window, or 200 % zoom): the answer is above the list, keep it in
    // view; otherwise keep the selected hit in view beside it.
    const item = document.querySelectorAll("#hits .hit")[index];
    if (window.matchMedia("(max-width: 46rem)").matches) {
      $("detail").hidden = false;
      $("detail").scrollIntoView({ block: "start" });
    } else if (item) {
      item.scrollIntoView({ block: "nearest" });
    }
    openDetail(state.hits[index].id);
    if (state.review) renderBanner();
  }

  async function openDetail(id) {
    const panel = $("detail");
    panel.hidden = false;
    panel.replaceChildren(el("p", null, "読み込み中…"));
    let result;
    try {
      result = await getJson("/api/answers/" + encodeURIComponent(id));
    } catch (_) {
      panel.replaceChildren(el("p", { class: "error" }, "サーバーに接続できません。"));
      return;
    }
    if (!result.ok) {
      panel.replaceChildren(el("p", { class: "error" }, result.body.error || "読み込めません"));
      return;
    }
    state.detail = result.body;
    state.choice = result.body.categories.map((c) => c.id);
    renderDetail();
    // Keys act on the answer now: Enter saves it rather than pressing the hit's button again.
    panel.focus({ preventScroll: true });
  }

  function renderDetail() {
    const d = state.detail;
    const panel = $("detail");
    const ranges = [];
    const titles = [];
    const classes = [];
    for (const category of d.categories) {
      for (const found of category.evidence) {
        ranges.push([found.start, found.end]);
        titles.push(category.label + ": " + (found.model ? "学習モデルの語 " + found.text : found.term));
        classes.push(found.model ? "model" : null);
      }
    }
    const categories = d.categories.length
      ? el("ul", { class: "cats" }, d.categories.map((c) => el("li", null,
        el("span", { class: "chip" + (d.overridden ? " corrected" : "") }, c.label), " ",
        el("code", null, c.id), " ",
        c.evidence.length
          ? ["根拠: ", distinct(c.evidence).map((e) => [el("q", {
            class: e.model ? "model" : null,
            title: e.model ? "学習モデルの語" : "ルールの語: " + e.term,
          }, e.text), " "])]
          : el("span", { class: "muted" }, "（根拠となる語はありません）"))))
      : el("p", null, "この設問は分類の対象外です。");
    const rulesText = d.rules.map((c) => c.label).join("、") || "なし";
    const source = d.overridden
      ? el("p", { class: "source" }, "修正ファイルによる分類です" + (d.note ? "（メモ: " + d.note + "）" : "") +
        "。ルールによる分類: " + rulesText)
      : el("p", { class: "source" }, "jiyu の自動分類です（" + d.basis_label + "）。");
    const choices = el("ol", { class: "choices", id: "choices" }, d.choices.map((choice, i) =>
      el("li", null, el("button", {
        type: "button",
        "data-category": choice.id,
        "aria-pressed": String(state.choice.includes(choice.id)),
        disabled: !writable,
        onclick: () => toggleChoice(i),
      }, el("kbd", null, i < 9 ? String(i + 1) : i === 9 ? "0" : ""), " ", choice.label,
      el("span", { class: "rank" }, rankOf(choice.id))))));
    panel.replaceChildren(
      el("div", { class: "detail-head" },
        el("h2", null, "回答の詳細"),
        el("button", { type: "button", class: "link", onclick: closeDetail }, "閉じる（Esc）")),
      el("p", { class: "meta" },
        el("span", { class: "hit-id" }, d.id), " ",
        el("span", { class: "hit-q" }, "設問 " + d.question), " ",
        d.scheme ? el("span", { class: "scheme" }, d.scheme.title) : null, " ",
        el("span", { class: "detail-conf", "data-basis": d.basis },
          confidenceText(d.confidence) ? el("span", { class: "conf" + (isDoubtful(d.confidence) ? " doubtful" : "") },
            confidenceText(d.confidence)) : null,
          " ", el("span", { class: "basis" }, d.basis_label)), " ",
        el("a", { href: "/answers/" + encodeURIComponent(d.id), target: "_blank", rel: "noopener" }, "別のページで開く")),
      el("blockquote", { class: "fulltext", id: "fulltext" }, marked(d.text, ranges, titles, classes)),
      Object.keys(d.attributes).length
        ? el("dl", { class: "attrs" }, Object.entries(d.attributes).map(([k, v]) =>
          el("div", null, el("dt", null, k), el("dd", null, v))))
        : null,
      el("h3", null, "カテゴリと根拠"),
      categories,
      source,
      el("h3", null, "カテゴリを修正"),
      writable
        ? el("p", { class: "keys" }, "数字キーでカテゴリを切り替え（選んだ順に ①② …、① が主なカテゴリ）、",
          el("kbd", null, "Enter"), " で保存して次へ、", el("kbd", null, "j"), " / ", el("kbd", null, "k"),
          " で次 / 前の回答へ、", el("kbd", null, "Esc"), " で閉じる。")
        : el("p", { class: "keys" }, "閲覧のみのため修正は保存できません（--overrides FILE を付けて起動してください）。"),
      choices,
      writable ? el("label", { class: "note" }, "メモ（任意）",
        el("input", { id: "note", type: "text", maxlength: "1000", value: d.note || "" })) : null,
      writable ? el("div", { class: "save-row" },
        el("button", { type: "button", id: "save", class: "primary", onclick: save }, "保存して次へ（Enter）"),
        el("span", { id: "save-status", role: "status" })) : null
    );
  }

  // The same words matched at several places are listed once.
  function distinct(evidence) {
    const seen = new Set();
    return evidence.filter((e) => {
      const key = e.term + "\u0000" + e.text;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  function rankOf(id) {
    const at = state.choice.indexOf(id);
    return at < 0 ? "" : " " + (RANKS[at] || String(at + 1));
  }

  function toggleChoice(index) {
    if (!writable || !state.detail) return;
    const choice = state.detail.choices[index];
    if (!choice) return;
    const id = choice.id;
    if (state.choice.includes(id)) {
      state.choice = state.choice.filter((c) => c !== id);
    } else if (id === NO_ANSWER || id === UNCLASSIFIED) {
      state.choice = [id];
    } else {
      state.choice = state.choice.filter((c) => c !== NO_ANSWER && c !== UNCLASSIFIED).concat([id]);
    }
    document.querySelectorAll("#choices button").forEach((button) => {
      const category = button.dataset.category;
      button.setAttribute("aria-pressed", String(state.choice.includes(category)));
      button.querySelector(".rank").textContent = rankOf(category);
    });
    setStatus("");
  }

  function setStatus(text, isError) {
    const status = $("save-status");
    if (!status) return;
    status.textContent = text;
    status.className = isError ? "error-text" : "ok-text";
  }

  async function save() {
    const d = state.detail;
    if (!writable || !d) return;
    if (!state.choice.length) {
      setStatus("カテゴリを1つ以上選んでください。", true);
      return;
    }
    const note = $("note") ? $("note").value : "";
    setStatus("保存中…");
    let response;
    let body;
    try {
      response = await fetch("/api/overrides", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, Accept: "application/json" },
        body: JSON.stringify({ id: d.id, categories: state.choice, note: note }),
      });
      body = await response.json();
    } catch (_) {
      setStatus("保存できませんでした: サーバーに接続できません。", true);
      return;
    }
    if (!response.ok) {
      setStatus("保存できませんでした: " + (body.error || response.status), true);
      return;
    }
    setStatus("保存しました: " + body.categories.map((c) => c.label).join("、"));
    // The answer now rests on the correction: basis override, confidence 1.
    d.basis = body.basis;
    d.basis_label = body.basis_label;
    d.confidence = body.confidence;
    d.overridden = true;
    const shown = document.querySelector("#detail .detail-conf");
    if (shown) {
      shown.dataset.basis = body.basis;
      shown.replaceChildren(el("span", { class: "conf" }, confidenceText(body.confidence)), " ",
        el("span", { class: "basis" }, body.basis_label));
    }
    const index = state.hits.findIndex((hit) => hit.id === d.id);
    if (index >= 0) {
      const hit = state.hits[index];
      const before = hit.confidence;
      hit.categories = body.categories.map((c) => c.id);
      hit.labels = body.categories.map((c) => c.label);
      hit.overridden = true;
      hit.basis = body.basis;
      hit.basis_label = body.basis_label;
      hit.confidence = body.confidence;
      const old = document.querySelectorAll("#hits .hit")[index];
      if (old) old.replaceWith(hitItem(hit, index));
      // The answer leaves the list (or moves to its end, at confidence 1): the next page starts
      // one answer earlier.
      const leaves = (state.category.size && !hit.categories.some((c) => state.category.has(c))) ||
        (state.basis.size && !state.basis.has(hit.basis)) || state.below ||
        (state.sort === "confidence" && before !== hit.confidence);
      if (leaves) state.removed += 1;
    }
    state.reviewed += 1;
    refreshCounts();
    next();
  }

  function next() {
    if (state.selected + 1 < state.hits.length) {
      select(state.selected + 1);
    } else if (state.offset + state.limit < state.total + state.removed) {
      state.offset = Math.max(0, state.offset + state.limit - state.removed);
      search({ select: 0 });
    } else if (state.review) {
      endReview("最後の回答まで確認しました。");
    }
  }

  function previous() {
    if (state.selected > 0) {
      select(state.selected - 1);
    } else if (state.offset > 0) {
      state.offset = Math.max(0, state.offset - state.limit);
      search({ select: "last" });
    }
  }

  function closeDetail() {
    $("detail").hidden = true;
    state.detail = null;
    if (state.review) endReview("");
  }

  // Review: the current hits in their order, or (doubtful) the answers to check — confidence
  // below the bound, least confident first, unclassified ones (confidence 0) among the first.
  // A saved correction has confidence 1, so it leaves that queue.
  function startReview(doubtful) {
    if (doubtful) {
      state.below = true;
      state.sort = "confidence";
      $("sort").value = state.sort;
    }
    state.review = true;
    state.reviewed = 0;
    state.offset = 0;
    renderBanner();
    search({ select: 0 });
  }

  function renderBanner() {
    const banner = $("review-banner");
    banner.hidden = false;
    banner.replaceChildren(
      el("strong", null, "レビュー中"),
      "　" + number(state.offset + state.selected + 1) + " / " + number(state.total) + " 件目",
      "　保存 " + number(state.reviewed) + " 件　",
      el("button", { type: "button", class: "link", onclick: () => endReview("") }, "レビューを終える")
    );
  }

  function endReview(message) {
    state.review = false;
    const banner = $("review-banner");
    if (message) {
      banner.replaceChildren(el("strong", null, message), "　保存 " + number(state.reviewed) + " 件");
      banner.hidden = false;
    } else {
      banner.hidden = true;
    }
  }

  // ---- Keyboard -----------------------------------------------------------------------

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.target;
    const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement ||
      target instanceof HTMLSelectElement;
    if (typing) {
      if (event.key === "Escape") target.blur();
      if (event.key === "Enter" && target.id === "note") {
        event.preventDefault();
        save();
      }
      return;
    }
    if (event.key === "/") {
      event.preventDefault();
      $("q").focus();
      return;
    }
    if (event.key === "j") {
      event.preventDefault();
      if (state.selected < 0) select(0);
      else next();
      return;
    }
    if (event.key === "k") {
      event.preventDefault();
      previous();
      return;
    }
    if (event.key === "Escape") {
      if (state.detail) closeDetail();
      return;
    }
    if (!state.detail) return;
    if (/^[0-9]$/.test(event.key)) {
      event.preventDefault();
      toggleChoice(event.key === "0" ? 9 : Number(event.key) - 1);
      return;
    }
    if (event.key === "Enter" && !(target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement)) {
      event.preventDefault();
      save();
    }
  });

  // ---- Wiring -------------------------------------------------------------------------

  $("q").addEventListener("input", () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      state.q = $("q").value;
      state.offset = 0;
      search();
    }, DEBOUNCE_MS);
  });
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(debounce);
    state.q = $("q").value;
    state.offset = 0;
    search();
  });
  $("clear").addEventListener("click", () => {
    state.question.clear();
    state.category.clear();
    state.basis.clear();
    state.below = false;
    state.where.clear();
    state.offset = 0;
    search();
  });
  $("prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - state.limit);
    search();
  });
  $("next").addEventListener("click", () => {
    state.offset += state.limit;
    search();
  });
  $("page-input").addEventListener("change", (event) => {
    const pages = Math.max(1, Math.ceil(state.total / state.limit));
    const page = Math.min(pages, Math.max(1, parseInt(event.target.value, 10) || 1));
    state.offset = (page - 1) * state.limit;
    search();
  });
  $("review").addEventListener("click", () => startReview(false));
  $("review-doubtful").addEventListener("click", () => startReview(true));
  $("exact").addEventListener("change", (event) => {
    state.exact = event.target.checked;
    state.offset = 0;
    search();
  });
  $("sort").addEventListener("change", (event) => {
    state.sort = event.target.value === "confidence" ? "confidence" : "relevance";
    state.offset = 0;
    search();
  });

  for (const button of document.querySelectorAll("#views button")) {
    button.addEventListener("click", () => {
      showView(button.dataset.view);
      if (button.dataset.view === "hits") search();
      else loadPanel();
    });
  }
  $("crosstab-by").addEventListener("change", (event) => {
    state.by = event.target.value;
    writeUrl();
    loadCrosstab();
  });
  $("kwic-sort").addEventListener("change", (event) => {
    state.kwicSort = event.target.value;
    loadKwic();
  });
  $("kwic-attribute").addEventListener("change", (event) => {
    state.kwicAttribute = event.target.value;
    loadKwic();
  });

  readUrl();
  getJson("/api/meta")
    .then((result) => {
      if (result.ok) {
        state.meta = result.body;
        state.limit = Math.min(20, result.body.limits.page);
        if (!state.below && result.body.review_below) reviewBelow = result.body.review_below;
      }
    })
    .catch(() => {})
    .finally(() => {
      if (state.view !== "hits") showView(state.view);
      search();
    });
})();
