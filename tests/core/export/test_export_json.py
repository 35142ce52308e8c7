"""JSON exports: the records with their anchors, and the anchors as W3C Web Annotations."""

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.export.options import ExportOptions
from core.services import documents, extractions
from core.services.export import export_project
from tests.core.export.export_desk import NASTY, Scene, build_scene


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    built = build_scene(tmp_path_factory.mktemp("json"))
    yield built
    built.project.close()


@pytest.fixture(scope="module")
def folder(scene: Scene, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("json-out")
    export_project(scene.project, out, ExportOptions(write_json=True, jsonld=True))
    return out


def test_records_json_holds_values_and_anchors(scene: Scene, folder: Path) -> None:
    data = json.loads((folder / "records.json").read_text(encoding="utf-8"))
    assert data["format"] == "trial-abstractor-records"
    assert data["template"]["id"] == "export_test"
    records = {r["study_id"]: r for r in data["records"]}
    assert set(records) == {scene.nasty_study, scene.crohn_study}
    for study, record in records.items():
        assert record["record"] == "final" and record["reviewer"] == "Cleo"
        for value in extractions.list_values(scene.project, scene.final[study]):
            if value.group_id is None:
                got = record["fields"][value.field_id]
            else:
                got = record["groups"][value.group_id][value.row - 1]["fields"][value.field_id]
            assert got["status"] == value.status.value
            assert got["value"] == value.value
            assert [(e["start"], e["end"], e["exact"]) for e in got["evidence"]] == [
                (a.start, a.end, a.exact) for a in value.anchors
            ]
    title = records[scene.nasty_study]["fields"]["title"]
    assert title["value"] == NASTY and title["evidence"][0]["exact"] == NASTY
    assert title["evidence"][0]["document"] == "nasty-report.txt"
    assert records[scene.crohn_study]["fields"]["mean_change"]["status"] == "not_reported"
    assert [
        r["fields"]["label"]["value"] for r in records[scene.nasty_study]["groups"]["arms"]
    ] == [
        "Low, dose",
        "High dose",
    ]


def test_web_annotations_select_the_quoted_passages(scene: Scene, folder: Path) -> None:
    data = json.loads((folder / "annotations.jsonld").read_text(encoding="utf-8"))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    anchors = [
        a
        for study in (scene.nasty_study, scene.crohn_study)
        for v in extractions.list_values(scene.project, scene.final[study])
        for a in v.anchors
    ]
    assert data["total"] == len(items) == len(anchors) == 4
    docs = {d.sha256: d for s in extractions.list_studies(scene.project) for d in s.documents}
    for item in items:
        assert item["type"] == "Annotation"
        source = item["target"]["source"]
        digest = base64.urlsafe_b64decode(source["id"].removeprefix("ni:///sha-256;") + "=")
        doc = docs[digest.hex()]
        assert source["label"] == doc.filename
        selectors = {s["type"]: s for s in item["target"]["selector"]}
        position, quote = selectors["TextPositionSelector"], selectors["TextQuoteSelector"]
        text = documents.document_text(scene.project, doc.id).text
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        assert selectors["FragmentSelector"]["value"] == "page=1"
        tags = [b["value"] for b in item["body"] if b["purpose"] == "tagging"]
        assert len(tags) == 1 and len(item["body"]) == 2
    by_path = {
        b["value"]: item for item in items for b in item["body"] if b["purpose"] == "tagging"
    }
    title = by_path["title"]
    described = next(b for b in title["body"] if b["purpose"] == "describing")
    assert described["value"] == NASTY
    assert by_path["enrolled"]["creator"] == {"type": "Person", "name": "Cleo"}
