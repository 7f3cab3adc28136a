"""Invented demo content in the shape of a real monthly issue (firm, people and news are fictional)."""

JURISDICTIONS = [
    {"code": "cn", "name": "中国", "name_en": "China", "kind": "country"},
    {"code": "us", "name": "美国", "name_en": "United States", "kind": "country"},
    {"code": "us-ca", "name": "美国加利福尼亚州", "name_en": "California", "kind": "subdivision", "parent": "us"},
    {"code": "eu", "name": "欧盟", "name_en": "European Union", "kind": "supranational"},
]

AUTHORS = [
    {
        "slug": "lin-qingshan",
        "name": "林青山",
        "name_latin": "Lin Qingshan",
        "title": "合伙人",
        "office_city": "北京",
        "phone": "010-5550 0101",
        "mobile": "139 0000 0101",
        "email": "qingshan.lin@example-law.cn",
        "practice_areas": "知识产权、数据合规、争议解决",
        "experience": "<p>林青山律师是示例律师事务所合伙人。</p>",
        "representative_matters": "<ul><li><p>代表某软件公司处理著作权侵权纠纷</p></li></ul>",
        "honours": "",
        "education": "北京大学，法学硕士",
        "display_order": 1,
    },
]

BULLETIN = {
    "slug": "ai-monthly",
    "name": "人工智能法律月刊",
    "description": "每月汇总人工智能领域的法律、监管与行业动态。",
    "language": "zh-hans",
    "firm_name": "北京示例律师事务所",
    "team_name": "人工智能与数字经济委员会",
    "commentary_label": "示例短评",
    "disclaimer": "<p>本刊物不构成本所的正式法律意见，仅供研究与交流之用。</p>",
    "contact_email": "bulletin@example-law.cn",
    "team": ["lin-qingshan"],
    "default_sections": ["最新法律与监管动态", "最新行业动态"],
}

ISSUES = [
    {
        "number": 1,
        "year": 2024,
        "month": 8,
        "title": "人工智能法律月刊 2024 年 8 月刊",
        "slug": "2024-08",
        "volume": "2024 年第 8 期",
        "editors_note": "<p>本期汇总 2024 年 8 月人工智能领域的主要动态。</p>",
        "writers": ["lin-qingshan"],
        "state": "published",
        "published_at": "2024-09-05T10:00:00+08:00",
        "sections": [
            {
                "title": "最新法律与监管动态",
                "entries": [
                    {
                        "kind": "law",
                        "title": "示例法案正式生效",
                        "published_on": "2024-08-01",
                        "source": "示例立法机构官网",
                        "jurisdictions": ["eu"],
                        "tags": ["人工智能", "立法"],
                        "summary": "<p>2024 年 8 月 1 日，示例法案正式生效。</p>",
                        "links": [
                            {"kind": "primary", "label": "", "url": "https://example.org/news/2024-08-01"},
                        ],
                        "commentary": {
                            "body": "<p>该法案的出台值得关注。</p>",
                            "authors": ["lin-qingshan"],
                        },
                    },
                ],
            },
            {"title": "最新行业动态", "entries": []},
        ],
    },
]
