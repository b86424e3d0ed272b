"""Synthetic resources for bench/search.py, in English, Thai, Khmer and Chinese.

English text is made of real sentences and phrases of the knowledge base
(questionnaires/: resource summaries, practice descriptions, item questions and
guidance), so word frequencies and phrases are those of the real content. Thai,
Khmer and Chinese text is made of the same topics' words (a glossary below),
written as those languages are: no spaces between words, spaces or sentence
marks between sentences. A Zipf-like choice makes some words common and others
rare, as in real text.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

import yaml

from app.core.library import ResourceType

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ("en", "th", "km", "zh")

# Topic words, most common first. Same meanings in each language, in the same order.
GLOSSARY: dict[str, list[str]] = {
    "th": (
        "การค้ามนุษย์ ผู้เสียหาย การคุ้มครอง เจ้าหน้าที่ การป้องกัน แรงงาน การดำเนินคดี ตำรวจ การแสวงประโยชน์ เด็ก "
        "สตรี การคัดแยก ที่พักพิง ความช่วยเหลือ กฎหมาย นโยบาย ความร่วมมือ ระหว่างประเทศ ชายแดน แรงงานข้ามชาติ "
        "การประมง การฟื้นฟู การส่งกลับ คู่มือ แนวทาง รายงาน การฝึกอบรม ผู้กระทำความผิด ศาล พยาน การสอบสวน "
        "หน่วยงาน ภาคประชาสังคม ข้อมูล การติดตาม งบประมาณ แผนปฏิบัติการ การทุจริต ค่าตอบแทน สิทธิมนุษยชน "
        "การจัดหางาน การบังคับใช้แรงงาน การฟอกเงิน"
    ).split(),
    "km": (
        "ការជួញដូរមនុស្ស ជនរងគ្រោះ ការការពារ មន្ត្រី ការបង្ការ ពលកម្ម ការកាត់ទោស នគរបាល ការកេងប្រវ័ញ្ច កុមារ "
        "ស្ត្រី ការកំណត់អត្តសញ្ញាណ ជំរក ជំនួយ ច្បាប់ គោលនយោបាយ កិច្ចសហប្រតិបត្តិការ អន្តរជាតិ ព្រំដែន "
        "ពលករចំណាកស្រុក ការនេសាទ ការស្តារនីតិសម្បទា ការបញ្ជូនមកវិញ សៀវភៅណែនាំ គោលការណ៍ណែនាំ របាយការណ៍ "
        "វគ្គបណ្តុះបណ្តាល ជនល្មើស តុលាការ សាក្សី ការស៊ើបអង្កេត ស្ថាប័ន សង្គមស៊ីវិល ទិន្នន័យ ការត្រួតពិនិត្យ ថវិកា "
        "ផែនការសកម្មភាព អំពើពុករលួយ សំណង សិទ្ធិមនុស្ស ការជ្រើសរើសពលករ ពលកម្មដោយបង្ខំ ការលាងលុយកខ្វក់"
    ).split(),
    "zh": (
        "人口贩运 受害者 保护 执法人员 预防 劳工 起诉 警察 剥削 儿童 妇女 身份识别 庇护所 援助 法律 政策 合作 国际 "
        "边境 移民工人 渔业 康复 遣返 手册 指南 报告 培训 犯罪分子 法院 证人 调查 机构 民间社会 数据 监测 预算 "
        "行动计划 腐败 赔偿 人权 招聘 强迫劳动 洗钱"
    ).split(),
}
SENTENCE_END = {"th": " ", "km": "។ ", "zh": "。"}


@dataclass(frozen=True)
class KnowledgeBase:
    sentences: list[str]
    titles: list[str]
    publishers: list[str]
    pillars: list[str]
    measures: list[str]
    document_words: Counter[str]


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def read_knowledge_base(root: Path = ROOT / "questionnaires") -> KnowledgeBase:
    library = {path.stem: yaml.safe_load(path.read_text()) for path in (root / "library").glob("*.yaml")}
    texts: list[str] = []
    for path in sorted(root.glob("*/*.yaml")):
        texts.extend(text for text in _strings(yaml.safe_load(path.read_text())) if len(text.split()) >= 6)
    sentences = [s.strip() for text in texts for s in re.split(r"(?<=[.?!])\s+", text) if len(s.split()) >= 5]
    questionnaire = [yaml.safe_load(path.read_text()) for path in sorted((root / "ctsat-1.0").glob("*.yaml"))]
    pillars = [data["id"] for data in questionnaire if "measures" in data]
    measures = [measure["id"] for data in questionnaire for measure in data.get("measures", [])]
    resources = library["resources"]["resources"]
    return KnowledgeBase(
        sentences=sentences,
        titles=[entry["title"] for entry in resources + library["practices"]["practices"]],
        publishers=sorted({entry["publisher"] for entry in resources}),
        pillars=pillars,
        measures=measures,
        document_words=Counter(word for text in texts for word in set(re.findall(r"[a-z]{4,}", text.lower()))),
    )


class Generator:
    def __init__(self, knowledge: KnowledgeBase, seed: int = 20261123) -> None:
        self.kb = knowledge
        self.random = random.Random(seed)
        self.types = list(get_args(ResourceType))

    def _zipf(self, words: list[str], count: int) -> list[str]:
        weights = [1 / (rank + 1) for rank in range(len(words))]
        return self.random.choices(words, weights=weights, k=count)

    def _local_text(self, script: str, sentences: int) -> str:
        end = SENTENCE_END[script]
        parts = ["".join(self._zipf(GLOSSARY[script], self.random.randint(4, 9))) for _ in range(sentences)]
        return end.join(parts) + end.strip()

    def _english_title(self) -> str:
        words = self.random.choice(self.kb.sentences).rstrip(".?!").split()
        start = self.random.randint(0, max(0, len(words) - 6))
        chunk = " ".join(words[start : start + self.random.randint(5, 12)])
        return chunk[:1].upper() + chunk[1:] if self.random.random() < 0.7 else self.random.choice(self.kb.titles)

    def resource(self, number: int) -> dict[str, Any]:
        script = SCRIPTS[number % len(SCRIPTS)]
        summary = {"en": " ".join(self.random.sample(self.kb.sentences, self.random.randint(2, 4)))}
        title = self._english_title()
        if script != "en":
            summary[script] = self._local_text(script, self.random.randint(3, 6))
            title = "".join(self._zipf(GLOSSARY[script], self.random.randint(3, 6)))
        return {
            "id": f"bench-{number:05d}",
            "title": title,
            "publisher": self.random.choice(self.kb.publishers),
            "year": self.random.randint(1995, 2025),
            "type": self.random.choice(self.types),
            "languages": ["en"] if script == "en" else ["en", script],
            "pillars": sorted(self.random.sample(self.kb.pillars, self.random.randint(1, 2))),
            "measures": sorted(self.random.sample(self.kb.measures, self.random.randint(1, 3))),
            "tags": [],
            "summary": summary,
        }

    def rare_words(self, count: int) -> list[str]:
        """Words of at least 8 letters found in only one text of the knowledge base."""
        rare = sorted(word for word, seen in self.kb.document_words.items() if seen == 1 and len(word) >= 8)
        return self.random.sample(rare, count)
