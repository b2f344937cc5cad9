"""一件事: what a bundle asks of the applicant, computed from its services' published versions.

When are two materials the same document? When their names are the same after
normalisation: Unicode NFKC (full-width letters, digits and brackets become their usual
forms), white space removed, Latin letters lower-cased. Nothing fuzzier: "本人身份证" and
"本人有效身份证件" stay two lines. A hall can trust this because the catalogue editor sees and
controls it — the bundle's sheet says beside each merged material which services share it,
and renaming a material in its service is how an editor merges or separates two. A guessed
match (similar words, synonyms) could drop a document that one department really needs,
and the clerk would find out only when that department refuses its part.

Merged, a material asks for the most any of its services asks: required if any service
requires it, the larger number of originals and of copies, paper if any service wants
paper. It keeps the id of its first occurrence (the lead service's first), which is the id
the joint case records as provided.
"""

import unicodedata

from .models import Kind, MaterialFormat

SCHEMA = 1


def material_key(name: str) -> str:
    """The name two materials must share to be one document."""
    return "".join(unicodedata.normalize("NFKC", name or "").split()).lower()


def _format(a: str, b: str) -> str:
    if a == b:
        return a
    if MaterialFormat.PAPER in (a, b):
        return MaterialFormat.PAPER
    return MaterialFormat.EITHER


def _joined(*parts: str) -> str:
    seen: list[str] = []
    for part in parts:
        for piece in part.split("；"):
            if piece and piece not in seen:
                seen.append(piece)
    return "；".join(seen)


def union_materials(services: list[dict]) -> list[dict]:
    """The materials of these service snapshots (lead first), each document once, in order
    of first appearance, with the codes of the services that ask for it and every catalogue
    id it stands for."""
    merged: dict[str, dict] = {}
    for s in services:
        for m in s["materials"]:
            key = material_key(m["name"])
            row = merged.get(key)
            if row is None:
                merged[key] = {
                    "id": m["id"],
                    "name": m["name"],
                    "required": m["required"],
                    "condition": "" if m["required"] else m["condition"],
                    "originals": m["originals"],
                    "copies": m["copies"],
                    "format": m["format"],
                    "notes": m["notes"],
                    "sample": m.get("sample", ""),
                    "services": [s["code"]],
                    "ids": [m["id"]],
                }
                continue
            row["required"] = row["required"] or m["required"]
            row["condition"] = "" if row["required"] else _joined(row["condition"], m["condition"])
            row["originals"] = max(row["originals"], m["originals"])
            row["copies"] = max(row["copies"], m["copies"])
            row["format"] = _format(row["format"], m["format"])
            row["notes"] = _joined(row["notes"], m["notes"])
            row["sample"] = row["sample"] or m.get("sample", "")
            if s["code"] not in row["services"]:
                row["services"].append(s["code"])
            row["ids"].append(m["id"])
    return [{**row, "position": i} for i, row in enumerate(merged.values(), start=1)]


def build_bundle_snapshot(bundle, service_snapshots: list[dict], versions: list[int]) -> dict:
    """The bundle as published. `service_snapshots` are its services' current snapshots, lead
    first, and `versions` their version numbers. Where to go and whom to call are the lead's:
    the applicant deals with the lead department only.

    Schema 1: {"schema", "code", "name", "summary", "lead", "department", "post", "window",
    "location", "hours", "phones", "complaint_phone", "online", "kind", "legal_days",
    "committed_days", "services": [{"code", "name", "version", "department", "post", "kind",
    "legal_days", "committed_days", "online", "basis", "fees", "lead"}],
    "materials": [union_materials rows]}"""
    lead = service_snapshots[0]
    return {
        "schema": SCHEMA,
        "code": bundle.code,
        "name": bundle.name,
        "summary": bundle.summary,
        "lead": lead["code"],
        "department": lead["department"],
        "post": lead["post"],
        "window": lead["window"],
        "location": lead["location"],
        "hours": lead["hours"],
        "phones": lead["phones"],
        "complaint_phone": lead["complaint_phone"],
        # One online form applies for every part, so each part must take online applications.
        "online": all(s["online"] for s in service_snapshots),
        "kind": Kind.IMMEDIATE
        if all(s["kind"] == Kind.IMMEDIATE for s in service_snapshots)
        else Kind.COMMITTED,
        # The parts run side by side: the longest part is how long the whole takes.
        "legal_days": max(s["legal_days"] for s in service_snapshots),
        "committed_days": max(s["committed_days"] for s in service_snapshots),
        "services": [
            {
                "code": s["code"],
                "name": s["name"],
                "version": number,
                "department": s["department"],
                "post": s["post"],
                "kind": s["kind"],
                "legal_days": s["legal_days"],
                "committed_days": s["committed_days"],
                "online": s["online"],
                "basis": s["basis"],
                "fees": s["fees"],
                "lead": i == 0,
            }
            for i, (s, number) in enumerate(zip(service_snapshots, versions, strict=True))
        ],
        "materials": union_materials(service_snapshots),
    }
