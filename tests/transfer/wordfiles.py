"""Word files of one entry, generated with python-docx in varied shapes (numbered or plain titles,
labels and their variants, links as hyperlinks or bullets, a case on one line or three, lists
typed or numbered by Word, commentaries with or without authors, words set bold, italic or
linked), and the entry each should give."""

import datetime
import io
import random
import zipfile

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.transfer.test_pdf_word_import import hyperlink, item, numbering

DATE_LABELS = ["发布日期", "发布时间", "日期"]
OTHER_LABELS = ["项目主页链接", "数据集链接", "判决书链接"]
NAMES = ["林青山", "周映雪", "何承泽", "Jane Doe"]
WORDS = ["该法案", "第 12 条", "the Act", "高风险系统", "<b>not markup</b>", "AI & Law", "监管机构"]
STYLES = ["", "b", "i", "bi", "a", "ab", "u"]  # bold, italic, a link (to STYLE_LINK), underline


def marked_runs(rng: random.Random, seed: int) -> list[tuple[str, str, str]]:
    """Runs of text (text, style, link) in which neighbours differ in style."""
    runs, last = [], None
    for n in range(rng.randint(2, 6)):
        style = rng.choice([s for s in STYLES if s != last])
        link = f"https://law.example.org/{seed}/{n}?q=a&b=<c>" if "a" in style else ""
        runs.append((rng.choice(WORDS) + rng.choice(["", "，", " ", "。"]), style, link))
        last = style
    return runs


def entry_spec(seed: int) -> dict:
    """An entry and how it is written, chosen by the seed."""
    rng = random.Random(seed)
    day = datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28))
    is_case = rng.random() < 0.5
    spec = {
        "title": rng.choice(
            [
                f"示例监管机构发布人工智能指引（第 {seed} 号）",
                f"Example Agency issues AI guidance no. {seed}",
                f"加州《人工智能安全法案》经州长签署生效 {seed}",
            ]
        ),
        "numbered_title": rng.choice(["", "1. ", "3. ", "word"]),
        "date": day,
        "date_label": rng.choice(DATE_LABELS),
        "date_text": rng.choice([f"{day.year} 年 {day.month} 月 {day.day} 日", day.isoformat()]),
        "source": rng.choice(["欧盟委员会官网", "美国联邦贸易委员会", "Example Court"]),
        "case": None,
        "case_lines": rng.random() < 0.5,
        "links": [("primary", "", f"https://example.org/news/{seed}?a=1&b=2")],
        "summary_intro": f"这是第 {seed} 条的摘要，说明规则的主要内容：",
        "summary_runs": marked_runs(rng, seed),
        "items": [
            ("风险最小的系统不受约束；", []),
            ("高风险系统须遵守：", ["风险评估；", "人工监督。"]),
        ],
        "word_lists": rng.random() < 0.5,
        "commentary": rng.choice([None, "本所短评", "植德短评"]),
        "commentary_text": f"第 {seed} 条的规则值得企业关注。",
        "authors": rng.sample(NAMES, rng.randint(0, 2)),
    }
    if is_case:
        spec["case"] = (f"Doe v. Example {seed}, Inc.", f"3:24-cv-{1000 + seed:05d}", "N.D. Cal.")
        spec["links"].append(("complaint", "", f"https://courts.example.gov/{seed}/complaint.pdf"))
    if rng.random() < 0.7:
        spec["links"].append(("reference", "", f"https://news.example.net/{seed}"))
        spec["links"].append(("reference", "", f"https://news.example.net/{seed}/more"))
    if rng.random() < 0.5:
        label = rng.choice(OTHER_LABELS)
        spec["links"].append(("other", label, f"https://data.example.io/{seed}"))
    if spec["commentary"] is None:
        spec["authors"] = []
    return spec


def entry_docx(spec: dict, *, title_first: bool = True) -> bytes:
    """The Word file of the entry `spec` describes."""
    document = docx.Document()
    numbering(document)
    add = document.add_paragraph
    if spec["numbered_title"] == "word":
        item(document, spec["title"], 0)
    elif spec["numbered_title"]:
        add(spec["numbered_title"] + spec["title"])
    else:
        document.add_heading(spec["title"], level=2)
    add(f"{spec['date_label']}：{spec['date_text']}")
    add(f"来源：{spec['source']}")
    if spec["case"]:
        caption, docket, court = spec["case"]
        if spec["case_lines"]:
            add(f"案件名称：{caption}")
            add(f"案号：{docket}")
            add(f"法院：{court}")
        else:
            add(f"案件信息：{caption}, {docket}, ({court})")
    _links(document, spec["links"])
    add("摘要：")
    add(spec["summary_intro"])
    if spec["summary_runs"]:
        marked_paragraph(document.add_paragraph(), spec["summary_runs"])
    for number, (text, subitems) in enumerate(spec["items"], 1):
        if spec["word_lists"]:
            item(document, text, 0)
        else:
            add(f"{number}) {text}")
        for letter, sub in zip("abc", subitems, strict=False):
            if spec["word_lists"]:
                item(document, sub, 1)
            else:
                add(f"{letter}) {sub}")
    if spec["commentary"]:
        add(spec["commentary"])
        if spec["authors"]:
            add("点评人：" + "、".join(spec["authors"]))
        add(spec["commentary_text"])
    return save(document)


def _links(document, links: list[tuple[str, str, str]]) -> None:
    labels = {"primary": "链接", "reference": "参考链接", "complaint": "起诉状链接"}
    groups: dict[str, list[str]] = {}
    for kind, label, url in links:
        groups.setdefault(label or labels[kind], []).append(url)
    for label, urls in groups.items():
        if len(urls) == 1:
            hyperlink(document.add_paragraph(f"{label}："), urls[0], "原文")
            continue
        document.add_paragraph(f"{label}：")
        for url in urls:
            hyperlink(document.add_paragraph("⚫ "), url, url)


def marked_paragraph(paragraph, runs: list[tuple[str, str, str]]) -> None:
    """Runs set bold ("b"), italic ("i"), underlined ("u") or as a hyperlink ("a") to `link`."""
    for text, style, link in runs:
        run = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        for letter, tag in (("b", "w:b"), ("i", "w:i"), ("u", "w:u")):
            if letter in style:
                mark = OxmlElement(tag)
                if letter == "u":
                    mark.set(qn("w:val"), "single")
                properties.append(mark)
        run.append(properties)
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
        if "a" in style:
            wrapper = OxmlElement("w:hyperlink")
            r_id = paragraph.part.relate_to(link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            wrapper.set(qn("r:id"), r_id)
            wrapper.append(run)
            run = wrapper
        paragraph._p.append(run)


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_part(content: bytes, name: str, data: bytes | str, *, replace: bool = False) -> bytes:
    """The Word file with one part added (or replaced)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if replace and info.filename == name:
                continue
            archive.writestr(info, source.read(info.filename))
        archive.writestr(name, data)
    return out.getvalue()


def with_document_xml(content: bytes, change) -> bytes:
    """The Word file with its word/document.xml changed by `change(xml) -> xml`."""
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    return with_part(content, "word/document.xml", change(xml), replace=True)
