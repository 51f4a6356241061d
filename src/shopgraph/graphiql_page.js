// shopgraph's GraphiQL start-up script, written for GraphiQL 3's props. The server serves
// it inline after `const SHOPGRAPH_GRAPHIQL = {"examples": [...]};` (graphiql_page.py).
// It starts GraphiQL as Strawberry's page does, with two additions: the example
// operations open as tabs, and an API key saved once in this browser fills every tab's
// headers editor, which is what GraphiQL sends: what the editor shows is what goes out.
(function () {
  "use strict";

  var KEY_ITEM = "shopgraph:apiKey";
  var OFFERED_ITEM = "shopgraph:examplesOffered";
  var TABS_ITEM = "graphiql:tabState"; // where GraphiQL 3 keeps its tabs
  var examples = SHOPGRAPH_GRAPHIQL.examples;

  function read(name) {
    try {
      return window.localStorage.getItem(name);
    } catch (error) {
      return null; // storage is off: nothing is kept, GraphiQL keeps nothing either
    }
  }

  function write(name, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(name);
      } else {
        window.localStorage.setItem(name, value);
      }
      return true;
    } catch (error) {
      return false;
    }
  }

  function parsed(text) {
    try {
      return JSON.parse(text);
    } catch (error) {
      return null;
    }
  }

  // A shared link: `q` is what this page writes back on every edit, as Strawberry's does.
  var params = new URLSearchParams(window.location.search);
  var shared = {
    query: params.get("q") || params.get("query"),
    variables: params.get("variables"),
  };

  function remember(name, value) {
    var url = new URL(window.location.href);
    if (name === "q") {
      url.searchParams.delete("query");
    }
    if (value) {
      url.searchParams.set(name, value);
    } else {
      url.searchParams.delete(name);
    }
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  // Roughly GraphiQL's own check: what fails it, GraphiQL replaces by `defaultTabs`.
  function isTabs(state) {
    return (
      state !== null &&
      typeof state === "object" &&
      typeof state.activeTabIndex === "number" &&
      Array.isArray(state.tabs) &&
      state.tabs.every(function (tab) {
        return tab !== null && typeof tab === "object";
      })
    );
  }

  // GraphiQL opens on `defaultTabs` only while it has no tabs stored: on a first visit
  // the examples are those tabs; later, examples this browser was not offered yet (new
  // or edited files) are added to its stored tabs, in GraphiQL 3's shape, before it
  // reads them. Tabs the developer closed stay closed. Returns the `defaultTabs` and the
  // tab to open on: GraphiQL adds an empty tab when the `query` it is given matches none.
  function openingTabs() {
    var offered = parsed(read(OFFERED_ITEM));
    if (!Array.isArray(offered)) {
      offered = [];
    }
    var state = parsed(read(TABS_ITEM));
    var tabs;
    var first = shared;
    if (!isTabs(state)) {
      if (examples.length > 0) {
        tabs = examples.map(function (example) {
          return { query: example.query, variables: example.variables, headers: null };
        });
        if (shared.query) {
          tabs.unshift({ query: shared.query, variables: shared.variables, headers: null });
        }
        first = tabs[0];
      }
    } else {
      // Headers kept by an earlier page (`shouldPersistHeaders` was on) go, as GraphiQL
      // would drop them once started, but before it compares tabs with what it opens on.
      var kept = state.tabs.some(function (tab) {
        return tab.headers;
      });
      state.tabs.forEach(function (tab) {
        tab.headers = null;
      });
      if (!shared.query && state.tabs[state.activeTabIndex]) {
        first = state.tabs[state.activeTabIndex];
      }
      var fresh = examples.filter(function (example) {
        return offered.indexOf(example.id) < 0;
      });
      fresh.forEach(function (example, index) {
        state.tabs.push({
          id: "shopgraph-" + Date.now().toString(36) + "-" + index,
          hash: null,
          title: example.title,
          query: example.query,
          variables: example.variables,
          headers: null,
          operationName: null,
          response: null,
        });
      });
      if ((fresh.length > 0 || kept) && !write(TABS_ITEM, JSON.stringify(state))) {
        return { defaultTabs: undefined, first: first }; // offered again next time
      }
    }
    write(OFFERED_ITEM, JSON.stringify(examples.map(function (example) {
      return example.id;
    })));
    return { defaultTabs: tabs, first: first };
  }

  var key = read(KEY_ITEM);
  var keyHeaders = key
    ? JSON.stringify({ Authorization: "Bearer " + key }, null, 2)
    : undefined;

  function masked(value) {
    var prefix = /^sg_[A-Za-z0-9]+_/.exec(value);
    return (prefix ? prefix[0] : value.slice(0, 6)) + "\u2026";
  }

  // Saving or forgetting reloads the page, so that every tab shows the key now saved.
  // GraphiQL does not keep headers (`shouldPersistHeaders: false`): the key is kept
  // in one place only, and "Forget" removes it from this browser.
  function keyForm() {
    var form = document.getElementById("sg-key");
    if (form === null) {
      return;
    }
    var input = document.getElementById("sg-key-input");
    var status = document.getElementById("sg-key-status");
    var forget = document.getElementById("sg-key-forget");
    if (key) {
      status.textContent =
        "Saved in this browser: every tab sends Authorization: Bearer " + masked(key);
      forget.hidden = false;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var value = input.value.trim().replace(/^Bearer\s+/i, "");
      if (!/^[\x21-\x7e]+$/.test(value)) {
        status.textContent = "That is not a key: paste the sg_\u2026 key you were given.";
        return;
      }
      if (!write(KEY_ITEM, value)) {
        status.textContent = "This browser does not let the page keep it (storage is off).";
        return;
      }
      window.location.reload();
    });
    forget.addEventListener("click", function () {
      write(KEY_ITEM, null);
      window.location.reload();
    });
  }

  keyForm();
  var opening = openingTabs();
  var first = opening.first;
  var fetcher = GraphiQL.createFetcher({
    url: window.location.origin + window.location.pathname,
  });
  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function ShopgraphGraphiQL() {
    // Controlled as in Strawberry's page, so a re-created editor keeps the latest text.
    var query = React.useState(first.query || undefined);
    var variables = React.useState(first.variables || undefined);
    var headers = React.useState(keyHeaders);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      defaultEditorToolsVisibility: true,
      defaultTabs: opening.defaultTabs,
      defaultHeaders: keyHeaders,
      query: query[0],
      variables: variables[0],
      headers: headers[0],
      onEditQuery: function (value) {
        query[1](value);
        remember("q", value);
      },
      onEditVariables: function (value) {
        variables[1](value);
        remember("variables", value);
      },
      onEditHeaders: headers[1],
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    });
  }

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(React.createElement(ShopgraphGraphiQL));
})();
