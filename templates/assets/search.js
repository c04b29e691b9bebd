// Search across explainers, as progressive enhancement: without this script the search
// page still lists every explainer. The index is Pagefind's, built by `explainer build`
// into pagefind/ (a large site's in parts, merged here); every address is worked out from this page's own link to it, so the
// site works under any sub-path. Nothing here writes HTML from a string.

const bundle = document.querySelector("link[data-pagefind-bundle]");
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const fallback = document.getElementById("search-fallback");

let engine = null;

function load() {
  if (engine === null) {
    const baseUrl = new URL("../", bundle.href).pathname;
    const parts = (bundle.dataset.pagefindMerge || "").split(" ").filter(Boolean)
      .map((part) => new URL(part, document.baseURI).href);
    engine = import(bundle.href).then(async (pagefind) => {
      await pagefind.options({ baseUrl });
      for (const part of parts) await pagefind.mergeIndex(part, { baseUrl });
      return pagefind;
    });
  }
  return engine;
}

// Pagefind marks matches with <mark>; keep those and the text, nothing else. The index
// leaves out citation numbers, so "troops [1]." comes back as "troops .": drop that space.
function excerpt(html) {
  const parsed = new DOMParser().parseFromString(html, "text/html");
  const paragraph = document.createElement("p");
  for (const node of parsed.body.childNodes) {
    const text = node.textContent.replace(/ +(?=[.,;:!?])/g, "");
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = text;
      paragraph.append(mark);
    } else {
      paragraph.append(text);
    }
  }
  return paragraph;
}

function link(text, url, className) {
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.textContent = text;
  anchor.className = className;
  return anchor;
}

function show(found, query) {
  results.replaceChildren(...found.map((page) => {
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    heading.append(link(page.meta.title || page.url, page.url, "search-result-title"));
    const excerptParagraph = excerpt(page.excerpt);
    excerptParagraph.className = "search-excerpt";
    item.append(heading, excerptParagraph);
    const sections = (page.sub_results || []).filter((s) => s.url !== page.url).slice(0, 3);
    if (sections.length) {
      const list = document.createElement("ul");
      list.className = "search-sections";
      for (const section of sections) {
        const entry = document.createElement("li");
        entry.append(link(section.title, section.url, "search-section"));
        list.append(entry);
      }
      item.append(list);
    }
    return item;
  }));
  const count = found.length === 1 ? "1 explainer matches" : `${found.length} explainers match`;
  status.textContent = found.length ? `${count} “${query}”.` : `Nothing matches “${query}”.`;
}

let latest = 0;

async function search(query) {
  const asked = ++latest;
  if (!query.trim()) {
    results.replaceChildren();
    status.textContent = "";
    return;
  }
  try {
    const pagefind = await load();
    const answer = await pagefind.search(query);
    const found = await Promise.all(answer.results.slice(0, 10).map((r) => r.data()));
    if (asked === latest) show(found, query);
  } catch (problem) {
    status.textContent = "Search could not load here; every explainer is listed below.";
    fallback.hidden = false;
  }
}

form.hidden = false;
fallback.hidden = true;
form.addEventListener("submit", (event) => event.preventDefault());
input.addEventListener("input", () => search(input.value));
const asked = new URLSearchParams(location.search).get("q");
if (asked) {
  input.value = asked;
  search(asked);
}
