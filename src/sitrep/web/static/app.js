/* sitrep web page: draws the network graph, the map and the timeline from the JSON API.
 *
 * Uses cytoscape / leaflet (+ topojson-client and world-atlas for an offline world
 * outline) when they were installed under /static/vendor/, and falls back to small
 * SVG drawings of its own otherwise.  Never uses innerHTML: every piece of text from
 * the knowledge base goes through textContent or an attribute, so article text
 * cannot become markup.  No inline scripts or styles: works under a strict CSP.
 */
(function () {
  "use strict";

  var SVGNS = "http://www.w3.org/2000/svg";
  var REL_COLORS = {
    ally_of: "#2e7d32", supports: "#1565c0", part_of: "#6a1b9a", hostile_to: "#c62828",
    leads: "#ef6c00", member_of: "#00838f", operates_in: "#78909c"
  };
  var KIND_COLORS = {
    armed_group: "#b71c1c", person: "#1565c0", organization: "#2e7d32", state: "#5d4037",
    country: "#607d8b", province: "#607d8b", city: "#607d8b", district: "#607d8b", region: "#607d8b"
  };
  var EVENT_COLORS = {
    "Battles": "#c62828", "Explosions/Remote violence": "#ef6c00", "Violence against civilians": "#6a1b9a",
    "Protests": "#1565c0", "Riots": "#00838f", "Strategic developments": "#546e7a"
  };

  function fetchJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      });
  }

  function svg(tag, attrs, parent) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function html(tag, text, parent, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function setNote(id, text) {
    var n = document.getElementById(id);
    if (n) { n.textContent = text; }
  }

  function appendNote(id, text) {
    var n = document.getElementById(id);
    if (n) { n.textContent = (n.textContent ? n.textContent + " " : "") + text; }
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  /* ---------------------------------------------------------------- graph */

  function edgeWidth(e) { return 1.5 + 2 * Math.min(e.sources || 0, 6); }

  function cytoscapeGraph(container, data) {
    var focus = container.dataset.focus ? Number(container.dataset.focus) : null;
    var maxMentions = Math.max.apply(null, data.nodes.map(function (n) { return n.mentions; }).concat([1]));
    var elements = [];
    data.nodes.forEach(function (n) {
      elements.push({ data: {
        id: "n" + n.id, entity: n.id, label: n.name, color: KIND_COLORS[n.kind] || "#455a64",
        size: 18 + 30 * Math.sqrt(n.mentions / maxMentions), focus: n.id === focus ? 1 : 0
      } });
    });
    data.edges.forEach(function (e, i) {
      elements.push({ data: {
        id: "e" + i, source: "n" + e.source, target: "n" + e.target, label: e.type.replace("_", " "),
        color: REL_COLORS[e.type] || "#555", width: edgeWidth(e), arrow: e.directed ? "triangle" : "none",
        dashed: e.status === "asserted" ? "solid" : "dashed",
        title: e.type + ": " + e.sources + " source(s)" + (e.denied_sources ? ", denied by " + e.denied_sources : "")
      } });
    });
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      style: [
        { selector: "node", style: {
          "background-color": "data(color)", "label": "data(label)", "width": "data(size)", "height": "data(size)",
          "font-size": 11, "text-valign": "bottom", "text-margin-y": 4, "color": "#1d2329",
          "text-outline-color": "#fff", "text-outline-width": 2 } },
        { selector: "node[focus = 1]", style: { "border-width": 4, "border-color": "#ffb300" } },
        { selector: "edge", style: {
          "width": "data(width)", "line-color": "data(color)", "target-arrow-color": "data(color)",
          "target-arrow-shape": "data(arrow)", "curve-style": "bezier", "line-style": "data(dashed)",
          "label": "data(label)", "font-size": 9, "text-rotation": "autorotate", "color": "#444",
          "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 1 } }
      ],
      layout: { name: "preset" }
    });
    var layout = graphLayout(data.nodes.length);
    cy.layout(layout).run();
    container.dataset.layout = layout.name;
    container.dataset.overlaps = String(overlaps(cy.nodes().map(function (n) {
      return n.boundingBox({ includeLabels: true });
    })));
    cy.on("tap", "node", function (evt) {
      window.location.href = "/actor/" + encodeURIComponent(evt.target.data("entity"));
    });
    return "cytoscape";
  }

  /* fcose (installed from npm, see scripts/install_web_assets.sh) spreads a few hundred nodes without
   * overlaps, counting each label in its node's size; without it, cytoscape's own cose does the same
   * more slowly; one node needs no layout. */
  function graphLayout(n) {
    var base = { animate: false, padding: 30, nodeDimensionsIncludeLabels: true, fit: true };
    if (n <= 1) { return Object.assign(base, { name: "grid" }); }
    if (window.cytoscapeFcose || hasLayout("fcose")) {
      return Object.assign(base, { name: "fcose", quality: n > 150 ? "default" : "proof", randomize: true,
        nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 120; },
        nodeSeparation: 90, packComponents: true, numIter: 2500, tile: true });
    }
    return Object.assign(base, { name: "cose", nodeRepulsion: function () { return 12000; },
      idealEdgeLength: function () { return 120; }, componentSpacing: 80, randomize: false });
  }

  /* How many pairs of boxes ({x1, y1, x2, y2}) overlap: the page records it for nodes with their
   * labels, so a test (or a curious analyst) can tell whether the layout kept labels apart. */
  function overlaps(boxes) {
    var n = 0, sorted = boxes.slice().sort(function (a, b) { return a.x1 - b.x1; });
    for (var i = 0; i < sorted.length; i++) {
      for (var j = i + 1; j < sorted.length && sorted[j].x1 < sorted[i].x2; j++) {
        if (sorted[j].y1 < sorted[i].y2 && sorted[i].y1 < sorted[j].y2) { n++; }
      }
    }
    return n;
  }

  function hasLayout(name) {
    try { return !!window.cytoscape("layout", name); } catch (e) { return false; }
  }

  /* A deterministic drawing without the graph library: the most mentioned actor (or the focus) in the
   * middle, the others on rings outwards by mentions, each ring holding as many nodes as fit with room
   * for their labels, so labels do not overlap however many nodes there are. */
  var LABEL_CHARS = 18;
  function shortLabel(name) {
    return name.length > LABEL_CHARS ? name.slice(0, LABEL_CHARS - 1) + "\u2026" : name;
  }

  function ringLayout(nodes, focus, w) {
    // a ring holds nodes a label's width apart, and rings are a label's width apart (at the sides of a
    // ring its neighbours on the next ring sit beside it)
    var longest = Math.max.apply(null, nodes.map(function (n) { return shortLabel(n.name).length; }).concat([4]));
    var SPACING = 14 + 7 * longest, RING = SPACING, pos = {}, rings = [];
    var order = nodes.slice().sort(function (a, b) {
      return (b.id === focus) - (a.id === focus) || (b.mentions || 0) - (a.mentions || 0);
    });
    var i = 0, r = 0;
    if (order.length) { rings.push([order[0]]); i = 1; }
    while (i < order.length) {
      r += RING;
      var cap = Math.max(6, Math.floor((2 * Math.PI * r) / SPACING));
      rings.push(order.slice(i, i + cap));
      i += cap;
    }
    var size = 2 * (r + RING), cx = Math.max(w, size) / 2, cy = size / 2;
    rings.forEach(function (ring, k) {
      ring.forEach(function (n, j) {
        var a = (2 * Math.PI * j) / ring.length - Math.PI / 2 + (k % 2 ? Math.PI / Math.max(ring.length, 1) : 0);
        pos[n.id] = [cx + k * RING * Math.cos(a), cy + k * RING * Math.sin(a)];
      });
    });
    return { pos: pos, width: Math.max(w, size), height: Math.max(size, 260) };
  }

  function fallbackGraph(container, data) {
    var focus = container.dataset.focus ? Number(container.dataset.focus) : null;
    var lay = ringLayout(data.nodes, focus, Math.max(container.clientWidth || 800, 300));
    var w = lay.width, h = lay.height, pos = lay.pos;
    var root = svg("svg", { viewBox: "0 0 " + w + " " + h, width: "100%", height: "100%", class: "fallback-graph" }, container);
    container.dataset.layout = "rings";
    var defs = svg("defs", {}, root);
    Object.keys(REL_COLORS).forEach(function (t) {
      var m = svg("marker", { id: "arrow-" + t, viewBox: "0 0 10 10", refX: 22, refY: 5, markerWidth: 6,
                              markerHeight: 6, orient: "auto-start-reverse" }, defs);
      svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: REL_COLORS[t] }, m);
    });
    data.edges.forEach(function (e) {
      var a = pos[e.source], b = pos[e.target];
      if (!a || !b) { return; }
      var line = svg("line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], stroke: REL_COLORS[e.type] || "#555",
                               "stroke-width": edgeWidth(e), class: "edge " + e.status }, root);
      if (e.directed) { line.setAttribute("marker-end", "url(#arrow-" + e.type + ")"); }
      if (e.status !== "asserted") { line.setAttribute("stroke-dasharray", "6 4"); }
      svg("title", {}, line).textContent = e.type + ": " + e.sources + " source(s)";
    });
    data.nodes.forEach(function (n) {
      var p = pos[n.id];
      var link = svg("a", { href: "/actor/" + encodeURIComponent(n.id), class: "node" }, root);
      svg("circle", { cx: p[0], cy: p[1], r: n.id === focus ? 14 : 10, fill: KIND_COLORS[n.kind] || "#455a64",
                      stroke: "#fff", "stroke-width": 2 }, link);
      var t = svg("text", { x: p[0], y: p[1] + 24, "text-anchor": "middle", class: "label" }, link);
      t.textContent = shortLabel(n.name);
      svg("title", {}, link).textContent = n.name + " (" + n.kind + ")";
    });
    try {
      container.dataset.overlaps = String(overlaps(Array.prototype.map.call(root.querySelectorAll("text.label"),
        function (t) { var b = t.getBBox(); return { x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height }; })));
    } catch (e) { /* not laid out (hidden): nothing to measure */ }
    return "fallback";
  }

  function legend(data) {
    var box = document.getElementById("graph-legend");
    if (!box) { return; }
    var types = {};
    data.edges.forEach(function (e) { types[e.type] = true; });
    Object.keys(types).sort().forEach(function (t) {
      var item = html("span", null, box, "legend-item");
      var sw = html("span", null, item, "swatch rel-" + t);
      sw.setAttribute("aria-hidden", "true");
      if (REL_COLORS[t]) { sw.style.background = REL_COLORS[t]; }
      item.appendChild(document.createTextNode(t.replace("_", " ")));
    });
  }

  function drawGraph(container) {
    fetchJSON(container.dataset.src).then(function (data) {
      clear(container);
      Object.keys(data.legend || {}).forEach(function (t) { REL_COLORS[t] = data.legend[t].colour; });  // schema.yaml
      var filtered = data.filter && Object.keys(data.filter).length;
      if (!data.nodes.length) {
        html("p", filtered ? "No relation passes this filter." : "No actors in the knowledge base yet.", container, "muted");
        container.dataset.nodes = "0";
        container.dataset.edges = "0";
        container.dataset.rendered = "1";
        container.dataset.renderer = "empty";
        return;
      }
      var how = window.cytoscape ? cytoscapeGraph(container, data) : fallbackGraph(container, data);
      if (how === "fallback") {
        setNote("graph-note", "Simple drawing: the interactive graph library is not installed " +
                "(run scripts/install_web_assets.sh).");
      } else if (!data.edges.length && !filtered) {
        setNote("graph-note", "No relations recorded yet; showing the most mentioned actors.");
      }
      if (data.undated_edges) {
        appendNote("graph-note", data.undated_edges + " relation(s) shown have no dated report: kept, as no date " +
                   "range can place them.");
      }
      legend(data);
      container.dataset.nodes = String(data.nodes.length);
      container.dataset.edges = String(data.edges.length);
      container.dataset.renderer = how;
      container.dataset.rendered = "1";
    }).catch(function (err) {
      container.textContent = "Could not load the graph: " + err.message;
      container.dataset.rendered = "error";
    });
  }

  /* ---------------------------------------------------------------- map */

  function featureDetails(f) {
    var p = f.properties, box = document.createElement("div");
    if (p.feature === "place") {
      var a = html("a", p.name, html("strong", null, box));
      a.href = "/actor/" + encodeURIComponent(p.entity_id);
      html("div", p.kind + " · " + p.mentions + " mentions in " + p.documents + " documents", box);
    } else {
      html("strong", p.type + (p.sub_type ? " (" + p.sub_type + ")" : ""), box);
      html("div", [p.date || "undated", p.location, p.killed !== null ? p.killed + " killed" : ""]
        .filter(Boolean).join(" · "), box);
      if (p.perpetrator) { html("div", "Perpetrator: " + p.perpetrator, box); }
      var docs = html("div", "Reported in: ", box);
      (p.documents || []).forEach(function (d, i) {
        if (i) { docs.appendChild(document.createTextNode(", ")); }
        var link = html("a", d, docs);
        link.href = "/doc/" + encodeURIComponent(d);
      });
    }
    return box;
  }

  function showDetails(f) {
    var box = document.getElementById("map-details");
    if (box) { clear(box); box.appendChild(featureDetails(f)); }
  }

  /* Marker area grows with the count (radius with its square root) up to a cap, so that one large
   * or wrong figure cannot cover a region. */
  var MAX_RADIUS = 18, MIN_RADIUS = 4;
  function radius(f) {
    var p = f.properties;
    var r = MIN_RADIUS + 1.5 * Math.sqrt(p.feature === "place" ? (p.mentions || 1) : Math.max(p.killed || 0, 0));
    return Math.min(MAX_RADIUS, r);
  }

  /* A cluster of markers: a bubble with the count, its area growing with the square root too. */
  function clusterIcon(kind) {
    return function (cluster) {
      var n = cluster.getChildCount(), size = Math.min(48, 22 + 4 * Math.sqrt(n));
      var label = document.createElement("span");
      label.textContent = String(n);
      return window.L.divIcon({ html: label, className: "cluster cluster-" + kind, iconSize: [size, size] });
    };
  }

  /* Make rings continuous across the antimeridian (no jumps from +180 to -180), so a flat
   * projection does not draw bands across the whole map. */
  function unwrapRing(ring) {
    var offset = 0, prev = null;
    return ring.map(function (pt) {
      var lon = pt[0] + offset;
      if (prev !== null && lon - prev > 180) { offset -= 360; lon -= 360; }
      if (prev !== null && lon - prev < -180) { offset += 360; lon += 360; }
      prev = lon;
      return [lon, pt[1]];
    });
  }

  function unwrapLand(fc) {
    fc.features.forEach(function (f) {
      var g = f.geometry;
      if (g.type === "Polygon") { g.coordinates = g.coordinates.map(unwrapRing); }
      if (g.type === "MultiPolygon") { g.coordinates = g.coordinates.map(function (p) { return p.map(unwrapRing); }); }
    });
    return fc;
  }

  /* Drop border pieces that run along or jump across the antimeridian. */
  function cleanLines(mls) {
    var out = [];
    mls.coordinates.forEach(function (line) {
      var cur = [];
      line.forEach(function (pt, i) {
        if (i && (Math.abs(pt[0] - line[i - 1][0]) > 90 || (Math.abs(pt[0]) >= 179.9 && Math.abs(line[i - 1][0]) >= 179.9))) {
          if (cur.length > 1) { out.push(cur); }
          cur = [];
        }
        cur.push(pt);
      });
      if (cur.length > 1) { out.push(cur); }
    });
    return { type: "MultiLineString", coordinates: out };
  }

  function leafletMap(container, features, world) {
    var L = window.L;
    var map = L.map(container, { attributionControl: false, worldCopyJump: true, preferCanvas: false, minZoom: 1,
                                 maxZoom: 12 });  // no tiles: the zoom range is ours (clustering needs one)
    map.setView([30, 60], 3);  // a view must exist before vector layers are added
    if (world && window.topojson) {
      var land = unwrapLand(window.topojson.feature(world, world.objects.land));
      // fill only: ring edges along the antimeridian would otherwise draw lines across the map
      L.geoJSON(land, { interactive: false, style: { stroke: false, fillColor: "#f6f3ea", fillOpacity: 1 } })
        .addTo(map);
      if (world.objects.countries) {
        var borders = window.topojson.mesh(world, world.objects.countries, function (a, b) { return a !== b; });
        L.geoJSON(cleanLines(borders), { interactive: false, style: { color: "#b0a999", weight: 0.8, dashArray: "3 3" } })
          .addTo(map);
      }
    }
    var points = [], layers = {};
    var clustered = typeof L.markerClusterGroup === "function";
    // events are clustered where dense (a bubble with their count, above everything); the small place
    // dots lie beneath them as they are
    layers.place = L.layerGroup();
    layers.event = clustered ? L.markerClusterGroup({ maxClusterRadius: 36, showCoverageOnHover: false,
      spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon("event") }) : L.layerGroup();
    features.forEach(function (f) {
      var c = f.geometry.coordinates;  // GeoJSON order: [lon, lat]
      var isPlace = f.properties.feature === "place";
      var m = L.circleMarker([c[1], c[0]], {
        radius: radius(f), color: isPlace ? "#1565c0" : "#c62828", weight: 1,
        fillColor: isPlace ? "#42a5f5" : "#ef5350", fillOpacity: 0.7
      });
      m.bindPopup(featureDetails(f));
      m.on("click", function () { showDetails(f); });
      layers[isPlace ? "place" : "event"].addLayer(m);
      points.push([c[1], c[0]]);
    });
    layers.place.addTo(map);
    layers.event.addTo(map);
    container.dataset.clustering = clustered ? "markercluster" : "none";
    if (points.length) {
      map.fitBounds(L.latLngBounds(points).pad(0.6), { maxZoom: 5 });
    }
    return "leaflet";
  }

  function ringPath(ring, project) {
    return ring.map(function (pt, i) { var p = project(pt[0], pt[1]); return (i ? "L" : "M") + p[0].toFixed(1) + " " + p[1].toFixed(1); }).join("") + "Z";
  }

  function fallbackMap(container, features, world) {
    var lons = features.map(function (f) { return f.geometry.coordinates[0]; });
    var lats = features.map(function (f) { return f.geometry.coordinates[1]; });
    var minLon = lons.length ? Math.min.apply(null, lons) - 8 : -180, maxLon = lons.length ? Math.max.apply(null, lons) + 8 : 180;
    var minLat = lats.length ? Math.min.apply(null, lats) - 6 : -60, maxLat = lats.length ? Math.max.apply(null, lats) + 6 : 80;
    var w = Math.max(container.clientWidth || 800, 300), h = Math.max(container.clientHeight || 480, 240);
    var scale = Math.min(w / (maxLon - minLon), h / (maxLat - minLat));
    function project(lon, lat) { return [(lon - minLon) * scale, (maxLat - lat) * scale]; }
    var root = svg("svg", { viewBox: "0 0 " + w + " " + h, width: "100%", height: "100%", class: "fallback-map" }, container);
    svg("rect", { x: 0, y: 0, width: w, height: h, class: "sea" }, root);
    if (world && window.topojson) {
      var land = unwrapLand(window.topojson.feature(world, world.objects.land));
      var g = svg("g", { class: "land" }, root);
      land.features.forEach(function (feat) {
        var geom = feat.geometry, polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
        polys.forEach(function (poly) { svg("path", { d: poly.map(function (r) { return ringPath(r, project); }).join("") }, g); });
      });
    }
    for (var lon = Math.ceil(minLon / 10) * 10; lon <= maxLon; lon += 10) {
      svg("line", { x1: project(lon, 0)[0], y1: 0, x2: project(lon, 0)[0], y2: h, class: "graticule" }, root);
    }
    for (var lat = Math.ceil(minLat / 10) * 10; lat <= maxLat; lat += 10) {
      svg("line", { x1: 0, y1: project(0, lat)[1], x2: w, y2: project(0, lat)[1], class: "graticule" }, root);
    }
    // markers closer than a cell are drawn as one group (dense areas stay readable): its events as one
    // red bubble with their count, or its places as one blue one, and the names of its places beside it
    var CELL = 22, groups = {}, order = [];
    features.forEach(function (f) {
      var c = f.geometry.coordinates, p = project(c[0], c[1]);
      var key = Math.round(p[0] / CELL) + ":" + Math.round(p[1] / CELL);
      if (!groups[key]) { groups[key] = { p: p, event: [], place: [] }; order.push(key); }
      groups[key][f.properties.feature === "place" ? "place" : "event"].push(f);
    });
    order.forEach(function (key) {
      var g = groups[key], p = g.p, items = g.event.length ? g.event : g.place, f = items[0];
      var isPlace = !g.event.length, r = radius(f);
      if (items.length === 1) {
        var dot = svg("circle", { cx: p[0], cy: p[1], r: r, class: isPlace ? "place" : "event", tabindex: 0 }, root);
        svg("title", {}, dot).textContent = isPlace ? f.properties.name : f.properties.type + " " + (f.properties.date || "");
        dot.addEventListener("click", function () { showDetails(f); });
      } else {
        r = Math.min(MAX_RADIUS + 4, 9 + 2 * Math.sqrt(items.length));
        var grp = svg("g", { class: "cluster " + (isPlace ? "place" : "event"), tabindex: 0 }, root);
        svg("circle", { cx: p[0], cy: p[1], r: r }, grp);
        svg("text", { x: p[0], y: p[1] + 4, "text-anchor": "middle", class: "count" }, grp).textContent = String(items.length);
        svg("title", {}, grp).textContent = items.length + (isPlace ? " places" : " events") + " here";
        grp.addEventListener("click", function () { showDetails(f); });
      }
      if (g.place.length) {
        var names = g.place.map(function (pl) { return pl.properties.name; });
        var t = svg("text", { x: p[0] + r + 3, y: p[1] + 4, class: "label" }, root);
        t.textContent = names.slice(0, 2).join(", ") + (names.length > 2 ? " +" + (names.length - 2) : "");
      }
    });
    container.dataset.clustering = "grid";
    return "fallback";
  }

  function drawMap(container) {
    var wantWorld = document.body.dataset.vendorWorld === "1";
    var world = wantWorld ? fetchJSON(container.dataset.world).catch(function () { return null; }) : Promise.resolve(null);
    Promise.all([fetchJSON(container.dataset.places), fetchJSON(container.dataset.events), world])
      .then(function (res) {
        var features = res[0].features.concat(res[1].features);
        clear(container);
        container.dataset.placeMarkers = String(res[0].features.length);
        container.dataset.eventMarkers = String(res[1].features.length);
        container.dataset.largestRadius = String(Math.max.apply(null, res[1].features.map(radius).concat([0])));
        var how = window.L ? leafletMap(container, features, res[2]) : fallbackMap(container, features, res[2]);
        if (how === "fallback") {
          setNote("map-note", "Simple drawing: the map library is not installed (run scripts/install_web_assets.sh).");
        }
        var filtered = res[1].filter && Object.keys(res[1].filter).length;
        if (!features.length) {
          setNote("map-note", filtered ? "Nothing with coordinates passes this filter." : "No places with coordinates yet.");
        }
        if (res[1].undated) {
          appendNote("map-note", res[1].undated + " undated event(s) kept: no date range can place them.");
        }
        container.dataset.features = String(features.length);
        container.dataset.renderer = how;
        container.dataset.rendered = "1";
      })
      .catch(function (err) {
        container.textContent = "Could not load the map: " + (err && err.message ? err.message : String(err));
        container.dataset.rendered = "error";
      });
  }

  /* ---------------------------------------------------------------- timeline */

  function drawTimeline(container) {
    fetchJSON(container.dataset.src).then(function (data) {
      var evs = data.events.filter(function (e) { return e.date && /^\d{4}-\d{2}-\d{2}$/.test(e.date); });
      clear(container);
      container.dataset.events = String(evs.length);
      container.dataset.undated = String(data.undated || 0);
      if (!evs.length) {
        html("p", "No dated events to draw.", container, "muted");
        container.dataset.rendered = "1";
        return;
      }
      var t = evs.map(function (e) { return Date.parse(e.date); });
      var lo = Math.min.apply(null, t), hi = Math.max.apply(null, t), span = Math.max(hi - lo, 86400000);
      var w = Math.max(container.clientWidth || 800, 300), h = 90, pad = 30;
      var root = svg("svg", { viewBox: "0 0 " + w + " " + h, width: "100%", height: h, class: "timeline-svg" }, container);
      svg("line", { x1: pad, y1: 50, x2: w - pad, y2: 50, class: "axis" }, root);
      [lo, hi].forEach(function (v, i) {
        var label = svg("text", { x: i ? w - pad : pad, y: 80, "text-anchor": i ? "end" : "start", class: "label" }, root);
        label.textContent = new Date(v).toISOString().slice(0, 10);
      });
      var seen = {};
      evs.forEach(function (e, i) {
        var x = pad + ((t[i] - lo) / span) * (w - 2 * pad);
        var k = Math.round(x / 6); seen[k] = (seen[k] || 0) + 1;
        var y = 50 - 10 * (seen[k] - 1);
        var link = svg("a", { href: e.reports.length ? "/doc/" + encodeURIComponent(e.reports[0].doc_id) : "#" }, root);
        svg("circle", { cx: x, cy: y, r: 5 + Math.min(Math.sqrt(e.killed || 0), 8), fill: EVENT_COLORS[e.type] || "#555",
                        class: "tl-dot" }, link);
        svg("title", {}, link).textContent = e.date + " " + e.type + (e.location ? " in " + e.location : "") +
          (e.killed !== null ? ", " + e.killed + " killed" : "");
      });
      container.dataset.rendered = "1";
    }).catch(function (err) {
      container.textContent = "Could not load the timeline: " + err.message;
      container.dataset.rendered = "error";
    });
  }

  function init() {
    var g = document.getElementById("graph");
    if (g && g.dataset.src) { drawGraph(g); }
    var m = document.getElementById("map");
    if (m && m.dataset.places) { drawMap(m); }
    var tl = document.getElementById("timeline");
    if (tl && tl.dataset.src) { drawTimeline(tl); }
    document.body.dataset.js = "1";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
