"""Back issues written for the tests in the shape of text extracted from a PDF (the shape of the
seed): invented content, like the demo bulletin.

In a page below, each source line is one printed line. A line ending with "|" wraps: it is
written without the trailing space that ends a paragraph. Every other line gets that space.
`pdf_text` then puts a blank line after each line, starts each page after the first with a space,
and writes the page's link list (bare URLs, as the extractor lists a page's links) at its end.
"""

import html
import re
import unicodedata

BULLET = "\uf09f"  # the private-use bullet extraction leaves for "" in the profiles


def pdf_text(*pages: str, link_lists: dict[int, list[str]] | None = None) -> str:
    out: list[str] = []
    for n, page in enumerate(pages):
        lines = [line.strip() for line in page.strip("\n").split("\n") if line.strip()]
        for k, line in enumerate(lines):
            text = line[:-1] if line.endswith("|") else line + " "
            out.append((" " if n and not k else "") + text)
            if k < len(lines) - 1:
                out.append("")
        urls = (link_lists or {}).get(n, [])
        if urls:
            out += ["", *urls]
    return "\n".join(out) + "\n"


LIABILITY_URL = (
    "https://parliament.example.org/bills/2024/ai-liability-act/text-as-passed-by-both-houses.html"
)
GUIDELINE_URL = "https://data.example.gov/policies/public-data-operation-guideline-2024-draft.html"
CHECKLIST_URL = "https://guide.example.org/ai-liability-checklist"

COVER = """
示例法律月刊
2024 年第 9 期
目录
一、最新法律与监管动态
1. 示例国议会通过《人工智能责任法案》
2. 示例市数据局发布《公共数据授权运营指引》，明确公共数据授权运营的范围、程序和安全|
要求
3. 作家起诉示例智能公司使用其作品训练模型
二、最新行业动态
1. 示例科技发布开源多模态模型
"""

LAWS = f"""
一、最新法律与监管动态
1. 示例国议会通过《人工智能责任法案》
发布日期：2024 年 9 月 3 日
来源：示例国议会官网
链接：
⚫ {LIABILITY_URL[:70]}|
{LIABILITY_URL[70:]}
参考链接：
⚫ https://news.example.org/2024/09/03/ai-liability
摘要：
2024 年 9 月 3 日，示例国议会两院以多数票通过《人工智能责任法案》（Artificial
Intelligence Liability Act），该法案将于 2025 年 1 月 1 日起施行。
法案的主要内容包括：
1) 举证责任：受害人证明损害与人工智能系统存在关联的，由系统的提供者证明|
其没有过错；
2) 信息披露：法院可以责令提供者披露以下信息：
a) 系统的训练数据摘要；
b) 系统的测试记录。
3) 责任保险：高风险系统的提供者应当投保责任保险。
此外，法案对在商业活动之外提供的开源模型规定了有限的豁免。
本所短评
该法案将举证责任转移给系统的提供者，企业应当尽早建立技术文档的留存制|
度，并参照 {CHECKLIST_URL} 所列的清单自查。
"""

REGULATION_AND_CASE = f"""
2. 示例市数据局发布《公共数据授权运营指引》，明确公共数据授权运营的范围、程序和安全|
要求
来源：示例市数据局官网
主办单位：示例市数据局
链接：
⚫ {GUIDELINE_URL[:60]}|
"""

CASE = f"""
{GUIDELINE_URL[60:]}
摘要：
示 例 市 数 据 局 发 布 指 引 ， 明 确 公 共 数 据 授 权 运 营 的 范 围 和 程 序 。
3. 作家起诉示例智能公司使用其作品训练模型
发布日期：2024 年 9 月 10 日
来源：示例法律新闻网
案件信息：Doe v. Example AI, Inc., 3:24-cv-09999, (N.D. Cal.)
链接：
⚫ https://legal-news.example.com/2024/09/10/doe-v-example-ai
起诉状链接：
⚫ https://courts.example.gov/doe-v-example-ai/complaint.pdf
摘要：
2024 年 9 月 9 日，一名作家在美国加州北区联邦地区法院起诉示例智能公司，指控|
其未经许可使用作品训练模型。
- 3 -
"""

INDUSTRY = """
二、最新行业动态
1. 示例科技发布开源多模态模型
发布日期：2024 年 9 月 12 日
来源：示例科技官网
链接：
⚫ https://tech.example.com/blog/open-multimodal-model
项目主页链接：
⚫ https://models.example.com/multimodal
摘要：
2024 年 9 月 12 日，示例科技发布开源多模态模型，该模型的主要功能如下：
1) 图像理解：可以识别图片中的文字和物体。
该功能支持中文和英文两种语言。
2) 语音交互：支持实时语音对话。
该功能的平均响应时间低于一秒。
"""

FOOTER = """
特此声明
本刊物不代表本所正式法律意见，仅为研究、交流之用。
如有任何建议、意见或具体问题，欢迎垂询 bulletin@example-law.cn。
示例律师事务所 人工智能委员会
人工智能小组：林青山  周映雪
本期撰写人：林青山 何承泽
"""

PROFILE_1 = f"""
示例律师事务所 人工智能委员会
人工智能小组合伙人成员介绍
林青山
合伙人/北京
电话：010-5550 0101
手机：139 0000 0101
邮箱：qingshan.lin@example-law.cn
执业领域：知识产权 数据合规 争议解决
工作经历：
林青山律师是示例律师事务所合伙人，执业十五年来专注于知识产权与数据合规领|
域。
代表业绩：
{BULLET} 代表某游戏公司处理源代码著作权纠纷
{BULLET} 为多家企业提供数据合规服务
荣誉奖项：
{BULLET} 示例评级机构推荐律师
教育背景：北京大学，法学硕士
中国人民大学，法学学士
"""

PROFILE_2 = """
周映雪
合伙人/上海
手机：138 0000 0102
邮箱：yingxue.zhou@example-law.cn
执业领域：投融资并购、跨境交易
工作经历：
周映雪律师是示例律师事务所合伙人。
教育背景：纽约大学，法学硕士
"""

SAMPLE = pdf_text(
    COVER,
    LAWS,
    REGULATION_AND_CASE,
    CASE,
    INDUSTRY,
    FOOTER,
    PROFILE_1,
    PROFILE_2,
    link_lists={
        1: [LIABILITY_URL, LIABILITY_URL, "https://news.example.org/2024/09/03/ai-liability"],
        2: [GUIDELINE_URL],
        3: [
            GUIDELINE_URL,
            "https://legal-news.example.com/2024/09/10/doe-v-example-ai",
            "https://courts.example.gov/doe-v-example-ai/complaint.pdf",
        ],
        4: ["https://tech.example.com/blog/open-multimodal-model"],
    },
)


def minimal(*lines: str, title: str = "示例监管机构发布指引", section: str = "最新动态") -> str:
    """One section with one entry, then the given lines (one page)."""
    head = f"一、{section}\n1. {title}\n发布日期：2024 年 9 月 3 日\n来源：示例官网\n"
    return pdf_text(head + "\n".join(lines))


# Lines that only give structure: labels without a value, headings of the commentary, the
# disclaimer, the contents and the profiles.
STRUCTURE = re.compile(r"[^：]{1,40}：|\S{0,6}短评|特此声明|目录|.{2,30}介绍")


def missing_pieces(text: str, parsed, *, also: set[str] = frozenset()) -> list[tuple]:
    """The lines of `text` (not reported, not structure, not in `also`) with words that are not in
    the parsed document: what an import would silently drop."""
    report = parsed.report
    everything = "".join(_strings(parsed.document)) + "".join(m for _n, m in report.notes)
    stored = unicodedata.normalize("NFKC", html.unescape(re.sub(r"<[^>]+>", "", everything)))
    reported = {n for u in report.unplaced + report.dropped for n in u.lines}
    missing = []
    for number, line in enumerate(text.split("\n"), 1):
        bare = line.strip()
        if not bare or number in reported or bare in also or STRUCTURE.fullmatch(bare):
            continue
        if bare.startswith("发布日期："):
            continue  # stored as an ISO date (the tests of dates check it)
        lost = [piece for piece in _pieces(line) if piece not in stored]
        missing += [(number, line, lost)] if lost else []
    return missing


def _pieces(line: str) -> list[str]:
    """The words of a line, without its label or number, as they would be stored."""
    line = unicodedata.normalize("NFKC", line.strip().lstrip("⚫\uf09f").strip())
    line = re.sub(r"^(?:\d{1,3}\.|[一二三四五六七八九十]、|[0-9a-z]\))\s*", "", line)
    line = re.sub(r"^[^:,。]{1,12}:", "", line)
    return [p.strip(",;()") for p in re.split(r"[\s/]+", line) if p.strip(",;()")]


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []
