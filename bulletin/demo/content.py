"""Invented demo content shaped like a real monthly issue (firm, people and news are fictional)."""

JURISDICTIONS = [
    {"code": "cn", "name": "中国", "name_en": "China", "kind": "country"},
    {"code": "us", "name": "美国", "name_en": "United States", "kind": "country"},
    {"code": "gb", "name": "英国", "name_en": "United Kingdom", "kind": "country"},
    {"code": "jp", "name": "日本", "name_en": "Japan", "kind": "country"},
    {"code": "de", "name": "德国", "name_en": "Germany", "kind": "country"},
    {"code": "au", "name": "澳大利亚", "name_en": "Australia", "kind": "country"},
    {"code": "sg", "name": "新加坡", "name_en": "Singapore", "kind": "country"},
    {
        "code": "us-ca",
        "name": "美国加利福尼亚州",
        "name_en": "California",
        "kind": "subdivision",
        "parent": "us",
    },
    {
        "code": "us-il",
        "name": "美国伊利诺伊州",
        "name_en": "Illinois",
        "kind": "subdivision",
        "parent": "us",
    },
    {
        "code": "us-ny",
        "name": "美国纽约州",
        "name_en": "New York",
        "kind": "subdivision",
        "parent": "us",
    },
    {
        "code": "hk",
        "name": "中国香港特别行政区",
        "name_en": "Hong Kong SAR",
        "kind": "subdivision",
        "parent": "cn",
    },
    {"code": "eu", "name": "欧盟", "name_en": "European Union", "kind": "supranational"},
    {"code": "un", "name": "联合国", "name_en": "United Nations", "kind": "supranational"},
    {"code": "unesco", "name": "联合国教科文组织", "name_en": "UNESCO", "kind": "supranational"},
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
        "experience": (
            "<p>林青山律师是北京示例律师事务所合伙人、人工智能与数字经济委员会召集人。"
            "加入本所之前，林律师曾在一家大型互联网平台公司担任法务总监，负责内容平台的著作权授权、"
            "侵权投诉处理及数据合规工作。</p><p>林律师执业十五年来专注于知识产权与数据合规领域，"
            "擅长处理涉及算法、训练数据和生成内容的新型纠纷，能够将业务目标与监管要求相结合，"
            "为客户提供可落地的合规方案。林律师同时担任多家科技企业的常年法律顾问。</p>"
        ),
        "representative_matters": (
            "<ul><li><p>知识产权：代表某游戏公司处理其核心游戏引擎源代码著作权侵权及商业秘密纠纷，"
            "获得全额支持判决</p></li><li><p>生成式人工智能合规："
            "为多家大模型企业提供生成式人工智能服务备案、训练语料合规评估及用户协议起草服务</p>"
            "</li><li><p>数据合规：为某头部短视频平台开展个人信息保护合规审计，"
            "并设计未成年人模式下的数据处理规则</p></li><li><p>不正当竞争："
            "代表某数据服务商就竞争对手大规模抓取其平台数据提起不正当竞争诉讼</p></li></ul>"
        ),
        "honours": (
            "<ul><li><p>示例法律评级机构 2023—2024 年度知识产权领域推荐律师</p></li><li><p>2022 "
            "年度示例律师协会数据合规优秀论文一等奖</p></li></ul>"
        ),
        "education": "北京大学，法学硕士\n中国人民大学，法学学士",
        "display_order": 1,
    },
    {
        "slug": "zhou-yingxue",
        "name": "周映雪",
        "name_latin": "Zhou Yingxue",
        "title": "合伙人",
        "office_city": "北京",
        "phone": "010-5550 0102",
        "mobile": "138 0000 0102",
        "email": "yingxue.zhou@example-law.cn",
        "practice_areas": "投融资并购、跨境交易、政府监管与合规",
        "experience": (
            "<p>周映雪律师是北京示例律师事务所合伙人。加入本所之前，"
            "周律师曾在两家国际律师事务所的北京和香港办公室工作多年，在跨境并购、"
            "外商投资及出口管制等领域积累了丰富经验。</p><p>周律师长期服务于人工智能、半导体、"
            "医疗器械和消费电子等行业客户，熟悉科技企业在境内外融资、"
            "出海经营和数据跨境流动过程中面临的监管问题，"
            "擅长在交易文件中设计与技术合规相关的陈述保证及赔偿机制。</p>"
        ),
        "representative_matters": (
            "<ul><li><p>代表某人工智能芯片企业完成多轮境内外融资，交易总额逾 20 亿元人民币</p></li>"
            "<li><p>代表某欧洲工业软件企业收购一家国内机器视觉公司的控股权，"
            "并协助完成经营者集中申报</p></li><li><p>为某大模型企业的海外业务拓展提供欧盟、"
            "新加坡等多个法域的监管合规分析</p></li><li><p>"
            "为多家跨国企业在华子公司的数据出境安全评估及个人信息保护认证提供法律服务</p></li></ul>"
        ),
        "honours": (
            "<ul><li><p>示例法律评级机构 2024 年度投资并购领域新锐合伙人</p></li><li><p>"
            "示例商法杂志 2023 年度“杰出交易”奖（科技领域）</p></li></ul>"
        ),
        "education": "纽约大学，法学硕士\n中国政法大学，法学学士",
        "display_order": 2,
    },
    {
        "slug": "he-chengze",
        "name": "何承泽",
        "name_latin": "He Chengze",
        "title": "合伙人",
        "office_city": "上海",
        "phone": "021-5550 0103",
        "mobile": "186 0000 0103",
        "email": "chengze.he@example-law.cn",
        "practice_areas": "银行与金融、金融科技、资产管理",
        "experience": (
            "<p>何承泽律师是北京示例律师事务所合伙人，常驻上海办公室。"
            "何律师曾在某全国性股份制商业银行总行法律合规部任职，"
            "参与该行智能风控系统和线上信贷产品的合规论证工作。</p><p>何律师主要为商业银行、"
            "证券公司、保险机构、理财公司及金融科技企业提供常年及专项法律服务，"
            "服务内容涵盖金融产品设计、算法模型风险管理、消费者权益保护和监管检查应对等。</p>"
        ),
        "representative_matters": (
            "<ul><li><p>为某城市商业银行搭建人工智能模型风险管理制度体系，涵盖模型立项、验证、"
            "上线与退出全流程</p></li><li><p>"
            "为某持牌消费金融公司的智能营销和智能催收系统提供合规评估</p></li><li><p>"
            "代表某外资银行就其在香港及内地同步上线的生成式人工智能客服系统提供两地监管对比意见</p>"
            "</li><li><p>"
            "为多家金融科技公司参与金融科技创新监管试点提供申报材料准备和测试方案设计服务</p></li>"
            "</ul>"
        ),
        "honours": "",
        "education": "复旦大学，法学硕士\n伦敦政治经济学院，法学硕士（金融法）",
        "display_order": 3,
    },
    {
        "slug": "su-wanning",
        "name": "苏宛宁",
        "name_latin": "Su Wanning",
        "title": "合伙人",
        "office_city": "深圳",
        "phone": "0755-5550 0104",
        "mobile": "135 0000 0104",
        "email": "wanning.su@example-law.cn",
        "practice_areas": "网络安全与数据保护、互联网合规、知识产权",
        "experience": (
            "<p>苏宛宁律师是北京示例律师事务所合伙人，常驻深圳办公室。"
            "苏律师具有计算机科学与法学双重学历背景，曾在某国际咨询机构从事信息安全咨询工作，熟悉 "
            "ISO/IEC 27001、ISO/IEC 42001 等管理体系标准。</p><p>苏律师专注于网络安全、"
            "数据保护和互联网内容合规，长期为智能硬件、社交平台、"
            "游戏和跨境电商企业提供合规体系建设、安全事件应对及监管沟通服务，并在深度合成、"
            "算法推荐等新兴领域积累了大量实务经验。</p>"
        ),
        "representative_matters": (
            "<ul><li><p>为某智能硬件企业的全球产品线搭建覆盖中国、欧盟和美国多个州的隐私合规体系"
            "</p></li><li><p>为某社交平台完成算法推荐服务和深度合成服务的算法备案及安全评估</p>"
            "</li><li><p>协助某跨境电商平台处理大规模数据泄露事件，完成监管报告及用户通知</p></li>"
            "<li><p>为某开源大模型社区起草模型许可协议及可接受使用政策</p></li></ul>"
        ),
        "honours": (
            "<ul><li><p>示例法律评级机构 2024 年度数据保护领域领先律师</p></li><li><p>"
            "深圳市示例律师协会网络与信息法律专业委员会委员</p></li></ul>"
        ),
        "education": (
            "香港大学，法学硕士（资讯科技法）\n武汉大学，法学学士\n武汉大学，"
            "工学学士（计算机科学与技术）"
        ),
        "display_order": 4,
    },
    {
        "slug": "lu-zhiyuan",
        "name": "陆知远",
        "name_latin": "Lu Zhiyuan",
        "title": "合伙人",
        "office_city": "杭州",
        "phone": "",
        "mobile": "137 0000 0105",
        "email": "zhiyuan.lu@example-law.cn",
        "practice_areas": "争议解决、商事仲裁、公司治理",
        "experience": (
            "<p>陆知远律师拥有十二年律师执业经历，代理过大量技术合同纠纷、软件开发合同纠纷、"
            "公司控制权纠纷和股东争议案件，具有丰富的诉讼与仲裁经验。</p><p>"
            "陆律师近年来重点关注人工智能相关争议，包括算法服务合同纠纷、"
            "数据交易纠纷以及人工智能生成内容引发的人格权和著作权纠纷，"
            "代理的多起案件入选地方法院典型案例。</p>"
        ),
        "representative_matters": (
            "<ul><li><p>代理某电商企业与算法服务商之间的推荐系统开发合同纠纷，"
            "成功追回已支付的开发费用并获得违约赔偿</p></li><li><p>"
            "代理某数据交易平台在中国国际经济贸易仲裁委员会进行的数据产品许可仲裁案件</p></li><li>"
            "<p>代表某上市公司创始股东处理公司控制权争议，通过诉讼与谈判相结合的方式实现和解</p>"
            "</li><li><p>代理某虚拟数字人运营企业的人格权纠纷，案件入选示例市法院网络司法典型案例"
            "</p></li></ul>"
        ),
        "honours": "<ul><li><p>2023 年度示例市律师协会优秀律师</p></li></ul>",
        "education": "浙江大学，法学硕士\n华东政法大学，法学学士",
        "display_order": 5,
    },
]

BULLETIN = {
    "slug": "ai-monthly",
    "name": "人工智能法律月刊",
    "description": (
        "每月汇总人工智能领域的法律、监管与行业动态，并附本所律师的简要评析。"
        "（演示内容：律所、人物、案件与动态均为虚构。）"
    ),
    "language": "zh-hans",
    "firm_name": "北京示例律师事务所",
    "team_name": "人工智能与数字经济委员会",
    "commentary_label": "示例短评",
    "disclaimer": (
        "<p>本刊物不代表本所正式法律意见，仅为研究、交流之用。本刊所载信息均来源于公开渠道，"
        "本所不对其准确性、完整性或时效性作出任何保证；读者不应在未取得专业法律意见的情况下，"
        "仅依据本刊内容作出任何决定或采取任何行动。</p><p>非经北京示例律师事务所书面同意，"
        "本刊内容不得被用于研究、交流之外的其他目的，亦不得以任何形式复制、转载或传播。"
        "如有任何建议、意见或具体问题，欢迎垂询 bulletin@example-law.cn。</p>"
    ),
    "contact_email": "bulletin@example-law.cn",
    "team": ["lin-qingshan", "zhou-yingxue", "he-chengze", "su-wanning", "lu-zhiyuan"],
    "default_sections": ["最新法律与监管动态", "最新行业动态"],
}

ISSUES = [
    {
        "number": 1,
        "year": 2024,
        "month": 8,
        "title": "2024 年 8 月刊",
        "slug": "2024-08",
        "volume": "2024 年第 8 期",
        "editors_note": (
            "<p><strong>演示内容：本期的律所、人物、案件与各项动态均为虚构，"
            "仅用于展示本系统。</strong></p>"
            "<p>本期收录 2024 年 7 月下旬至 8 月人工智能领域的法律与监管动态 12 项、行业动态 7 项。"
            "</p><p>本月，欧盟在产品责任领域补上了人工智能治理的“事后救济”一环，"
            "美国加利福尼亚州在合成内容来源披露方面继续推进立法；司法领域，围绕训练数据来源、"
            "检索增强生成和“AI 换脸”的纠纷持续增加。我们对其中部分动态附上了简要评析，供读者参考。"
            "</p>"
        ),
        "writers": ["lin-qingshan", "su-wanning", "lu-zhiyuan"],
        "state": "published",
        "published_at": "2024-09-05T10:00:00+08:00",
        "sections": [
            {
                "title": "最新法律与监管动态",
                "entries": [
                    {
                        "kind": "law",
                        "title": (
                            "欧盟理事会通过《产品责任指令》修订文本，"
                            "明确软件及人工智能系统属于“产品”"
                        ),
                        "published_on": "2024-08-02",
                        "source": "欧盟理事会官网",
                        "jurisdictions": ["eu"],
                        "tags": ["产品责任", "欧盟"],
                        "summary": (
                            "<p>2024 年 8 月 2 日，欧盟理事会正式通过《产品责任指令》（Product "
                            "Liability Directive）修订文本。"
                            "修订后的指令将取代已施行近四十年的原指令，自刊登于欧盟官方公报后第 20 "
                            "日起生效，成员国须在 24 个月内完成国内法转化。</p><p>"
                            "修订文本中与人工智能相关的要点包括：</p><ol><li><p>扩大“产品”范围："
                            "明确软件（包括以服务方式提供的软件和人工智能系统）属于产品，"
                            "但在商业活动之外开发或提供的免费开源软件除外；</p></li><li><p>"
                            "缺陷认定考虑自我学习能力：认定产品是否存在缺陷时，"
                            "应考虑产品投放市场后继续学习或获得新功能所产生的影响；</p></li><li><p>"
                            "减轻受害人举证负担：因技术或科学上的复杂性导致受害人举证过度困难的，"
                            "法院可以推定产品存在缺陷，或推定缺陷与损害之间存在因果关系；</p></li>"
                            "<li><p>证据披露：被告应根据法院命令披露其掌握的相关证据，"
                            "法院同时应对商业秘密采取保护措施。</p></li></ol><p>此外，"
                            "数据的毁损或灭失（专用于职业目的的数据除外）"
                            "也被纳入可获赔偿的损害范围。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://eur-lex.example.org/legal-content/EN/TXT/?uri="
                                    "CONSIL%3APE_7_2024_REV_1&qid=1722556800000&from=EN"
                                ),
                            },
                            {
                                "kind": "reference",
                                "label": "",
                                "url": (
                                    "https://consilium.example.org/en/press/press-releases/2024/08/"
                                    "02/product-liability-council-adopts-new-rules-fit-for-the-"
                                    "digital-age-and-circular-economy/"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>"
                                "修订后的《产品责任指令》与《人工智能法案》形成了“事前合规＋事后救"
                                "济”的组合：后者设定市场准入和持续合规义务，"
                                "前者则为受害人提供无过错责任框架下的救济路径。"
                                "对于向欧盟市场提供人工智能软件或嵌入人工智能功能的硬件产品的中国企"
                                "业而言，产品责任风险已不再局限于传统的有形产品。</p><p>"
                                "值得注意的是，证据披露规则与缺陷推定规则相互配合，"
                                "将使企业在诉讼中承受更大的举证压力。"
                                "我们建议相关企业尽早建立模型版本更新、"
                                "训练数据和安全测试记录的留存机制，"
                                "并在与下游集成商的合同中合理安排责任分担与追偿条款。</p>"
                            ),
                            "authors": ["lin-qingshan", "zhou-yingxue"],
                        },
                    },
                    {
                        "kind": "law",
                        "title": "美国加利福尼亚州议会通过《合成内容来源披露法案》",
                        "published_on": "2024-08-28",
                        "source": "美国加利福尼亚州立法信息网站",
                        "jurisdictions": ["us-ca"],
                        "tags": ["深度合成", "内容标识"],
                        "summary": (
                            "<p>2024 年 8 月 28 日，美国加利福尼亚州议会两院通过第 9021 "
                            "号众议院法案，即《合成内容来源披露法案》（Synthetic Content "
                            "Provenance Disclosure Act）。该法案将在州长签署后生效。</p><p>"
                            "法案适用于在加州拥有超过 100 "
                            "万名月活跃用户的生成式人工智能服务提供者，主要义务包括：</p><ol><li>"
                            "<p>嵌入来源信息：提供者应当在其系统生成的图像、"
                            '音频和视频中嵌入隐式来源信息，至少包括：</p><ol type="a"><li><p>'
                            "提供者名称；</p></li><li><p>生成内容所用系统的名称及版本号；</p></li>"
                            "<li><p>内容生成或修改的时间；</p></li><li><p>内容的唯一标识符。</p>"
                            "</li></ol></li><li><p>提供检测工具：提供者应当免费向公众提供检测工具，"
                            "使用户能够判断某一内容是否由其系统生成或修改；</p></li><li><p>"
                            "显式标识选项：提供者应当为用户提供在生成内容中添加清晰、"
                            "醒目标识的选项；</p></li><li><p>约束被许可方："
                            "向第三方许可其生成式人工智能系统的提供者，"
                            "应当在许可合同中要求被许可方保留来源信息功能；"
                            "发现被许可方移除该功能的，应当在 96 小时内撤销许可。</p></li></ol><p>"
                            "违反上述义务的，每项违法行为可被处以最高 5,000 美元的民事罚款，"
                            "由州总检察长、县检察官或市检察官提起诉讼。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://leginfo.legislature.example.gov/faces/"
                                    "billNavClient.xhtml?bill_id=202320240AB9021&session=2023-"
                                    "2024%20Regular%20Session&view=history&search_keywords="
                                    "synthetic%20content%20provenance%20disclosure&search_type="
                                    "bill_text&house=Both&version=Enrolled&sort=desc&returnUrl="
                                    "%2Ffaces%2FbillSearchClient.xhtml%3Fsession_"
                                    "year%3D20232024%26keyword%3Dartificial%2520intelligence%26hous"
                                    "e%3DBoth"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>"
                                "该法案与我国《互联网信息服务深度合成管理规定》关于隐式标识和显式标"
                                "识的要求在思路上较为接近，均采用“隐式元数据＋显式标识”的双层方案。"
                                "不同之处在于，加州法案设置了用户规模门槛，"
                                "并将义务延伸至模型许可链条，"
                                "这对以开放模型权重为基础的商业模式影响较大。</p><p>"
                                "对于在美国提供图像、音视频生成服务的中国企业，"
                                "我们建议评估现有水印与元数据方案能否满足来源信息的互操作性要求，"
                                "并审查对外许可协议中是否已包含关于保留来源信息功能的保证条款及相应"
                                "的终止权安排。</p>"
                            ),
                            "authors": ["su-wanning"],
                        },
                    },
                    {
                        "kind": "law",
                        "title": "美国伊利诺伊州修订《人权法》，规范雇主在雇佣决策中使用人工智能",
                        "published_on": "2024-08-09",
                        "source": "美国伊利诺伊州议会网站",
                        "jurisdictions": ["us-il"],
                        "tags": ["就业", "算法歧视"],
                        "summary": (
                            "<p>2024 年 8 月 9 日，美国伊利诺伊州州长签署第 5812 号众议院法案，"
                            "修订该州《人权法》（Human Rights Act），"
                            "将雇主在雇佣决策中使用人工智能并产生歧视效果的行为明确列为民权违法行为"
                            "。修订内容将于 2026 年 1 月 1 日起施行。</p><p>根据修订内容，雇主："
                            "</p><ol><li><p>不得在招聘、录用、晋升、培训选拔、解雇、"
                            "纪律处分等决策中使用具有歧视受保护群体效果的人工智能；</p></li><li><p>"
                            "不得将邮政编码作为种族等受保护类别的替代变量；</p></li><li><p>"
                            "在将人工智能用于上述雇佣决策时，应当告知员工及求职者。</p></li></ol>"
                            "<p>州人权部门将另行制定告知义务的具体规则，包括告知的时间、"
                            "方式和内容。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://www.ilga.example.gov/legislation/BillStatus.asp?"
                                    "DocNum=5812&GAID=17&DocTypeID=HB&LegId=152967&SessionID=112&"
                                    "GA=103"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "regulation",
                        "title": "示例市网信办发布《生成式人工智能服务备案与登记工作指引（试行）》",
                        "published_on": "2024-08-15",
                        "source": "示例市互联网信息办公室官方微信公众号",
                        "jurisdictions": ["cn"],
                        "tags": ["备案", "生成式人工智能"],
                        "summary": (
                            "<p>2024 年 8 月 15 日，"
                            "示例市互联网信息办公室发布《生成式人工智能服务备案与登记工作指引（试行"
                            "）》（以下称“《指引》”），对辖区内企业办理生成式人工智能服务备案，"
                            "以及通过 API 调用已备案模型提供服务的登记流程作出细化规定。</p><p>"
                            "《指引》区分了两类情形：</p><ul><li><p>自行研发或基于开源模型训练、"
                            "并直接向境内公众提供服务的，应当办理生成式人工智能服务备案；</p></li>"
                            "<li><p>通过 API 接口调用已备案大模型的能力、向公众提供服务的，"
                            "应当办理登记，并在显著位置公示所调用模型的名称及备案编号。</p></li>"
                            "</ul><p>申请备案需要提交的主要材料包括：</p><ol><li><p>备案申请表；"
                            '</p></li><li><p>安全自评估报告，内容应当涵盖：</p><ol type="a"><li>'
                            "<p>语料来源合法性及语料安全评估情况；</p></li><li><p>"
                            "模型生成内容的安全测试结果；</p></li><li><p>"
                            "拒答测试题库和非拒答测试题库的规模及覆盖范围；</p></li></ol></li><li>"
                            "<p>服务协议、隐私政策及用户投诉处理机制说明；</p></li><li><p>"
                            "关键词拦截列表。</p></li></ol>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://wxb.city.example.gov/2024-08/15/c_1724731560312847.htm"
                                ),
                            },
                            {
                                "kind": "reference",
                                "label": "",
                                "url": (
                                    "https://wxb.city.example.gov/attachments/2024/08/"
                                    "%E7%94%9F%E6%88%90%E5%BC%8F%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%B"
                                    "D%E6%9C%8D%E5%8A%A1%E5%A4%87%E6%A1%88%E4%B8%8E%E7%99%BB%E8%AE%"
                                    "B0%E5%B7%A5%E4%BD%9C%E6%8C%87%E5%BC%95%EF%BC%88%E8%AF%95%E8%A1"
                                    "%8C%EF%BC%89.pdf"
                                ),
                            },
                            {
                                "kind": "reference",
                                "label": "",
                                "url": (
                                    "https://www.example.gov/zhengce/zhengceku/202307/content_"
                                    "6891752.htm"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>自 2023 年《生成式人工智能服务管理暂行办法》施行以来，"
                                "备案一直是企业上线面向公众的生成式人工智能服务的关键环节。"
                                "《指引》以地方规范性文件的形式，将“备案”与“登记”两条路径加以区分，"
                                "对大量通过 API 调用第三方模型的应用层企业具有较强的实操意义。</p>"
                                "<p>需要提示的是，"
                                "走登记路径并不意味着应用层企业可以免除内容安全义务。"
                                "企业仍应建立与自身业务相适应的输入输出过滤、"
                                "投诉处理和日志留存机制，"
                                "并在与模型提供方签订的协议中明确双方在内容安全事件中的通知与配合义"
                                "务。</p>"
                            ),
                            "authors": ["lin-qingshan"],
                        },
                    },
                    {
                        "kind": "regulation",
                        "title": (
                            "香港示例金融监管局发布《授权机构使用生成式人工智能的风险管理指引》"
                        ),
                        "published_on": "2024-08-20",
                        "source": "香港示例金融监管局官网",
                        "jurisdictions": ["hk"],
                        "tags": ["金融科技", "香港"],
                        "summary": (
                            "<p>2024 年 8 月 20 日，"
                            "香港示例金融监管局发布《授权机构使用生成式人工智能的风险管理指引》（以"
                            "下称“该指引”），要求授权机构在面向客户的场景中使用生成式人工智能时，"
                            "采取与风险相称的管控措施。该指引设有 6 个月的过渡期。</p><p>"
                            "该指引的核心要求包括：</p><ol><li><p>治理与问责："
                            "董事会及高级管理层对生成式人工智能的使用承担最终责任，"
                            "机构应指定一名高级管理人员统筹相关风险；</p></li><li><p>人工复核："
                            "在初期部署阶段，涉及信贷审批、投资建议等重大决策的输出须经人工复核，"
                            "即保持“人在回路”；</p></li><li><p>准确性与可解释性："
                            "机构应持续监测模型产生“幻觉”的情况，并建立纠错和回退机制；</p></li>"
                            "<li><p>客户告知：机构应向客户清楚披露其正在与生成式人工智能交互，"
                            "并为客户提供转接人工服务的渠道。</p></li></ol>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://www.finreg-hk.example.gov/tc/regulatory-resources/"
                                    "circulars/2024/20240820-genai-risk-management-guideline-for-"
                                    "authorized-institutions.pdf?lang=zh-hk&ver=2"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>该指引延续了香港金融监管“原则为本、风险相称”的一贯思路，"
                                "没有对技术路径作出限制，而是将重点放在治理架构、"
                                "人工复核和客户告知上。对于在港设有分行或子行的内地银行而言，"
                                "集团层面的人工智能治理框架需要与香港的要求相互衔接。</p><p>"
                                "实践中，“人在回路”的具体边界往往是合规落地的难点。"
                                "我们建议机构结合业务场景分级确定人工复核的比例，"
                                "并完整保存复核记录，以便在监管检查时证明相关控制措施得到有效执行。"
                                "</p>"
                            ),
                            "authors": ["he-chengze", "zhou-yingxue"],
                        },
                    },
                    {
                        "kind": "regulation",
                        "title": (
                            "英国信息专员办公室就以网络抓取数据训练生成式人工智能的合法利益评估发布"
                            "结论性意见"
                        ),
                        "published_on": "2024-08-07",
                        "source": "英国信息专员办公室官网",
                        "jurisdictions": ["gb"],
                        "tags": ["UK GDPR", "数据抓取"],
                        "summary": (
                            "<p>2024 年 8 月 7 日，英国信息专员办公室（ICO）"
                            "就其生成式人工智能系列咨询发布结论性意见。"
                            "其中第一部分涉及开发者以网络抓取的数据训练生成式人工智能模型时，"
                            "援引“合法利益”作为个人数据处理依据的问题。</p><p>ICO 认为，"
                            "开发者援引合法利益须通过以下三步测试：</p><ol><li><p>目的测试："
                            "开发者应具体说明模型的预期用途，而不能笼统地声称用于“开发通用模型”；"
                            "</p></li><li><p>必要性测试："
                            "开发者应论证为何无法通过其他方式（例如使用经授权的数据集）"
                            "实现同一目的；</p></li><li><p>平衡测试："
                            "开发者应评估数据主体的合理预期，并采取措施降低对数据主体的影响，"
                            "例如过滤特殊类别数据、遵守网站设置的抓取限制、"
                            "为数据主体提供便捷的反对渠道。</p></li></ol><p>ICO 同时指出，"
                            "对于通过第三方获取的训练数据，开发者仍负有核查数据来源合法性的责任。"
                            "</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://ico.example.org/for-organisations/uk-gdpr-guidance-"
                                    "and-resources/artificial-intelligence/generative-ai-"
                                    "consultation-outcomes/lawful-basis-for-web-scraping-to-train-"
                                    "generative-ai-models/"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "regulation",
                        "title": "日本个人信息保护委员会更新生成式人工智能服务个人信息处理注意事项",
                        "published_on": "2024-07-26",
                        "source": "日本个人信息保护委员会官网",
                        "jurisdictions": ["jp"],
                        "tags": ["个人信息"],
                        "summary": (
                            "<p>2024 年 7 月 26 日，"
                            "日本个人信息保护委员会更新了面向生成式人工智能服务提供者和使用者的注意"
                            "事项，主要内容如下：</p><ol><li><p>面向企业使用者："
                            "在提示词中输入个人信息前，应确认该输入是否处于已告知的利用目的范围内；"
                            "向服务提供者输入的个人数据被用于模型训练的，"
                            "可能构成向第三方提供个人数据；</p></li><li><p>面向服务提供者：</p><ol "
                            'type="a"><li><p>收集训练数据时，'
                            "应尽量避免收集需特别注意的个人信息（如病历、犯罪记录），"
                            "已经收集的应及时删除或进行不可识别化处理；</p></li><li><p>"
                            "应以日语向用户清楚说明个人信息的利用目的；</p></li></ol></li><li><p>"
                            "面向一般用户：应当了解生成内容可能包含不准确的个人信息，"
                            "并谨慎使用相关内容。</p></li></ol>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://ppc.example.org/files/pdf/240726_generative_ai_"
                                    "caution_notice_update.pdf"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "regulation",
                        "title": (
                            "联合国教科文组织就《法院和法庭使用人工智能系统指南》草案公开征求意见"
                        ),
                        "published_on": "2024-08-12",
                        "source": "联合国教科文组织官网",
                        "jurisdictions": ["unesco"],
                        "tags": ["司法", "国际组织"],
                        "summary": (
                            "<p>2024 年 8 月 12 日，联合国教科文组织（UNESCO）"
                            "发布《法院和法庭使用人工智能系统指南》草案并公开征求意见，"
                            "意见反馈截止日期为 2024 年 9 月 30 日。草案提出的原则包括：</p><ul>"
                            "<li><p>保护人权与司法独立；</p></li><li><p>相称性与必要性；</p></li>"
                            "<li><p>信息安全与数据保护；</p></li><li><p>可审计性与透明度；</p></li>"
                            "<li><p>人的监督与最终决定权。</p></li></ul><p>"
                            "草案还就法官和司法辅助人员使用通用大语言模型起草法律文书的情形提出具体"
                            "建议，包括不得输入涉密或敏感的案件信息、须逐一核实生成内容，"
                            "以及在必要时披露使用情况。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://www.unesco.example.org/en/articles/consultation-draft-"
                                    "guidelines-use-ai-systems-courts-and-tribunals"
                                ),
                            },
                            {
                                "kind": "other",
                                "label": "征求意见表",
                                "url": (
                                    "https://forms.example.org/unesco/consultation?form_id=ai-"
                                    "courts-2024&lang=zh&utm_source=unesco.example.org&utm_"
                                    "campaign=AI%20in%20Courts%20Consultation"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "case",
                        "title": "多名作家起诉 Example AI，指控其使用盗版电子书训练大语言模型",
                        "published_on": "2024-08-06",
                        "source": "示例科技新闻网",
                        "case_caption": "Doe v. Example AI, Inc.",
                        "docket_number": "3:24-cv-04521",
                        "court": "N.D. Cal.",
                        "jurisdictions": ["us"],
                        "tags": ["版权", "训练数据"],
                        "summary": (
                            "<p>2024 年 8 月 5 日，三名小说作者在美国加州北区联邦地区法院对 "
                            "Example AI, Inc. 提起集体诉讼，指控被告从“影子图书馆”"
                            "下载数十万本盗版电子书，并将其用于训练旗下大语言模型 Quill。</p><p>"
                            "起诉状提出的主要诉讼请求包括：</p><ol><li><p>直接版权侵权："
                            "被告在下载、存储和预处理训练数据的过程中，未经许可复制了原告的作品；"
                            "</p></li><li><p>替代侵权：被告从模型的商业化使用中直接获利，"
                            "且有权利和能力控制相关侵权行为；</p></li><li><p>禁令救济："
                            "请求法院禁止被告继续使用包含原告作品的数据集，"
                            "并销毁以该数据集训练的模型权重。</p></li></ol><p>"
                            "原告拟代表的集体为“作品已在美国版权局登记、"
                            "且被收录于被告训练数据集的全体作者”。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://news.example.com/2024/08/06/authors-sue-example-ai-"
                                    "over-shadow-library-training-data/"
                                ),
                            },
                            {
                                "kind": "complaint",
                                "label": "",
                                "url": (
                                    "https://ecf.cand.uscourts.example.gov/cgi-bin/show_public_doc?"
                                    "2024cv04521-1&caseid=431877&de_seq_num=2&document_type="
                                    "Complaint%20for%20Copyright%20Infringement&filed_on=2024-08-"
                                    "05&attachment_number=0&pdf_header=1"
                                ),
                            },
                            {
                                "kind": "reference",
                                "label": "",
                                "url": (
                                    "https://dockets.example.org/docket/69012345/doe-v-example-ai-"
                                    "inc/?order_by=desc&page=1"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>与此前多起涉及训练数据的版权诉讼相比，"
                                "本案原告的诉讼策略更为集中："
                                "起诉状的重点在于训练数据的来源本身是否合法，"
                                "而非模型输出是否与原告作品构成实质性相似。"
                                "这一策略试图避开合理使用抗辩中对被告最为有利的“转换性使用”因素。"
                                "</p><p>值得关注的是，原告请求销毁模型权重。"
                                "如果法院最终支持此类救济，"
                                "训练数据合规问题将直接影响模型资产的存续。"
                                "我们建议企业为训练数据建立来源台账，"
                                "尤其应排查来自未经授权网站的数据集。</p>"
                            ),
                            "authors": ["lin-qingshan", "su-wanning"],
                        },
                    },
                    {
                        "kind": "case",
                        "title": "新闻出版集团起诉 Lumen Labs，称其“答案引擎”大段复述付费报道",
                        "published_on": "2024-08-14",
                        "source": "示例法律新闻网",
                        "case_caption": "Harbor News Group, LLC v. Lumen Labs, Inc.",
                        "docket_number": "1:24-cv-06087",
                        "court": "S.D.N.Y.",
                        "jurisdictions": ["us", "us-ny"],
                        "tags": ["版权", "RAG"],
                        "summary": (
                            "<p>2024 年 8 月 13 日，美国地方新闻出版商 Harbor News Group "
                            "在纽约南区联邦地区法院起诉人工智能搜索公司 Lumen Labs，"
                            "主张后者的“答案引擎”在响应用户提问时实时抓取原告付费墙后的报道，"
                            "并在回答中大段复述报道内容。</p><p>原告的主要主张包括：</p><ol><li><p>"
                            "版权侵权：被告的检索增强生成（RAG）"
                            "功能在抓取和输出两个环节均复制了原告的作品；</p></li><li><p>"
                            "违反《数字千年版权法》（DMCA）第 1202 条："
                            "被告在输出内容中删除了作者署名、版权声明等版权管理信息；</p></li><li>"
                            "<p>商标淡化与虚假归属：被告的模型在产生“幻觉”"
                            "时编造内容并将其归于原告名下，损害了原告的商誉。</p></li></ol><p>"
                            "原告请求法定赔偿及永久禁令。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://legalnews.example.com/litigation/harbor-news-group-"
                                    "sues-lumen-labs-over-answer-engine-reproducing-paywalled-"
                                    "articles-2024-08-14"
                                ),
                            },
                            {
                                "kind": "complaint",
                                "label": "起诉状",
                                "url": (
                                    "https://storage.court-archive.example.org/recap/"
                                    "gov.uscourts.nysd.627781/gov.uscourts.nysd.627781.1.0.pdf"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>本案是为数不多直接针对检索增强生成技术的诉讼。"
                                "与模型训练阶段的复制不同，检索增强生成在每次响应时实时调用原作品，"
                                "被告较难主张其使用仅具有“中间复制”的性质，"
                                "也更难证明输出内容不会替代原作品的市场。</p><p>此外，"
                                "原告以“幻觉内容被错误归于原告名下”为由提出的商标主张值得关注。"
                                "这一思路可能被其他品牌权利人借鉴，"
                                "人工智能搜索类产品在标注引用来源时，"
                                "应建立更严格的归属核验和风险提示机制。</p>"
                            ),
                            "authors": ["lu-zhiyuan"],
                        },
                    },
                    {
                        "kind": "case",
                        "title": (
                            "伊利诺伊州居民起诉 Facevault，指控其抓取社交媒体照片训练人脸识别模型"
                        ),
                        "published_on": "2024-07-30",
                        "source": "示例法律新闻网",
                        "case_caption": "Rivera v. Facevault Technologies, LLC",
                        "docket_number": "1:24-cv-06642",
                        "court": "美国伊利诺伊州北区联邦地区法院",
                        "jurisdictions": ["us-il"],
                        "tags": ["生物识别", "BIPA", "隐私"],
                        "summary": (
                            "<p>2024 年 7 月 29 日，"
                            "一名伊利诺伊州居民在伊利诺伊州北区联邦地区法院提起集体诉讼，指控 "
                            "Facevault Technologies 从公开的社交媒体平台抓取数十亿张照片，"
                            "提取人脸几何特征用于训练其人脸识别模型，并向零售企业出售识别服务。</p>"
                            "<p>原告主张被告违反了伊利诺伊州《生物识别信息隐私法》（BIPA），"
                            "具体包括：</p><ol><li><p>在收集生物识别信息前未取得当事人的书面同意；"
                            "</p></li><li><p>未公开生物识别信息的保存期限和销毁政策；</p></li><li>"
                            "<p>通过出售识别服务从生物识别信息中获利。</p></li></ol><p>根据 BIPA，"
                            "过失违法的法定赔偿额为 1,000 美元，故意或轻率违法的法定赔偿额为 5,000 "
                            "美元。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://legalnews.example.com/privacy/bipa-class-action-"
                                    "facevault-technologies-social-media-photos-face-recognition-"
                                    "training-2024-07-30"
                                ),
                            },
                            {
                                "kind": "complaint",
                                "label": "",
                                "url": (
                                    "https://storage.court-archive.example.org/recap/"
                                    "gov.uscourts.ilnd.465390/gov.uscourts.ilnd.465390.1.0.pdf"
                                ),
                            },
                            {
                                "kind": "reference",
                                "label": "",
                                "url": (
                                    "https://www.ilga.example.gov/legislation/ilcs/ilcs3.asp?ActID="
                                    "3004&ChapterID=57"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "case",
                        "title": (
                            "示例市互联网法院审结一起“AI 换脸”模板视频侵害肖像权及个人信息权益案"
                        ),
                        "published_on": "2024-08-22",
                        "source": "示例市互联网法院官方微信公众号",
                        "case_caption": "李某诉示例网络科技有限公司肖像权及个人信息保护纠纷案",
                        "docket_number": "（2024）示 0491 民初 3187 号",
                        "court": "示例市互联网法院",
                        "jurisdictions": ["cn"],
                        "tags": ["肖像权", "深度合成", "个人信息"],
                        "summary": (
                            "<p>2024 年 8 月 22 日，示例市互联网法院公开宣判一起涉“AI 换脸”"
                            "应用的纠纷。原告李某是短视频平台上的古风造型博主，"
                            "被告运营的换脸应用未经许可，使用原告发布的视频制作换脸模板，"
                            "用户付费后即可将自己的面部替换到模板中。</p><p>法院经审理认为：</p>"
                            "<ol><li><p>判断是否构成肖像，应以社会一般公众能否识别为标准。"
                            "模板中原告的面部虽已被替换，但保留的发型、服饰、"
                            "标志性手势和拍摄场景仍足以使熟悉原告的观众识别出原告，"
                            "因此仍构成原告的肖像；</p></li><li><p>被告未经许可制作、使用该模板，"
                            "并以付费方式向用户提供，侵害了原告的肖像权；</p></li><li><p>"
                            "被告收集原告视频并进行算法处理的行为亦属于处理原告的个人信息，"
                            "被告未取得原告同意，侵害了原告的个人信息权益。</p></li></ol><p>"
                            "法院判决被告向原告书面赔礼道歉，并赔偿经济损失及维权合理开支共计 "
                            "12,000 元。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": "https://mp.example.com/s/Qx7bT2mLk9vRz4NpW1aYcE",
                            },
                            {
                                "kind": "other",
                                "label": "判决书全文",
                                "url": (
                                    "https://wenshu.court.example.gov/website/wenshu/"
                                    "181107ANFZ0BXSK4/index.html?docId="
                                    "8f3b2a6c4d1e4f7a9b0c5d2e6f8a1b3c&caseNo="
                                    "%EF%BC%882024%EF%BC%89%E7%A4%BA0491%E6%B0%91%E5%88%9D3187%E5%8"
                                    "F%B7&court="
                                    "%E7%A4%BA%E4%BE%8B%E5%B8%82%E4%BA%92%E8%81%94%E7%BD%91%E6%B3%9"
                                    "5%E9%99%A2&keyword=AI%20%E6%8D%A2%E8%84%B8"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>本案的争议焦点在于，面部被替换后的图像是否仍构成原告的肖像。"
                                "法院采取“综合可识别性”标准，将面部以外的外部形象特征纳入考量，"
                                "这与《民法典》第一千零一十八条将肖像界定为“特定自然人可以被识别的"
                                "外部形象”的规定相一致。</p><p>对于提供换脸、"
                                "虚拟试衣等服务的企业而言，仅替换面部并不足以规避肖像权风险。"
                                "模板素材应取得被拍摄者的明确授权，"
                                "授权范围应覆盖算法处理和商业化使用；同时，"
                                "企业还需遵守《互联网信息服务深度合成管理规定》的要求，"
                                "在提供人脸编辑功能时提示使用者依法告知被编辑的个人并取得其单独同意"
                                "。</p>"
                            ),
                            "authors": ["lu-zhiyuan", "lin-qingshan"],
                        },
                    },
                ],
            },
            {
                "title": "最新行业动态",
                "entries": [
                    {
                        "kind": "industry",
                        "title": "示例智能科技开源多模态大模型“星河-V”，采用自定义社区许可协议",
                        "published_on": "2024-08-08",
                        "source": "示例智能科技官方微信公众号",
                        "jurisdictions": ["cn"],
                        "tags": ["开源", "大模型"],
                        "summary": (
                            "<p>2024 年 8 月 8 日，示例智能科技有限公司宣布开源其多模态大模型“星河-"
                            "V”，提供 70 亿和 340 亿参数两个版本，支持图像、视频和文本的联合理解。"
                            "</p><p>根据官方介绍，该模型的主要特点如下：</p><ol><li><p>长视频理解："
                            "可处理时长不超过 1 小时的视频输入；</p></li><li><p>中文场景优化："
                            "在中文文档、票据和表格识别任务上表现较好；</p></li><li><p>端侧部署："
                            "70 亿参数版本经量化后可在消费级显卡上运行。</p></li></ol><p>"
                            "值得注意的是，该模型并未采用 Apache 2.0 等通用开源许可证，"
                            "而是采用自定义的《星河模型社区许可协议》，月活跃用户超过 1 "
                            "亿的被许可方须另行申请商业授权。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": "https://mp.example.com/s/8KfL2pQwXz3RtY6uVb0NaQ",
                            },
                            {
                                "kind": "other",
                                "label": "项目主页",
                                "url": "https://code.example.com/example-ai/xinghe-v",
                            },
                            {
                                "kind": "reference",
                                "label": "",
                                "url": "https://arxiv.example.org/pdf/2408.04417v1",
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>“开源”模型的许可条款差异很大。"
                                "自定义社区许可协议通常包含用户规模门槛、"
                                "禁止用途清单以及对衍生模型命名和再许可的限制，"
                                "与开放源代码促进会（OSI）认可的开源许可证并不相同。</p><p>"
                                "企业在基于此类模型进行二次开发和商业化之前，应逐项核对许可条款，"
                                "特别是关于衍生模型的权利归属、"
                                "输出内容的使用限制和许可终止条件的约定，"
                                "并在产品合规文档中记录所使用的模型版本及对应的许可协议版本。</p>"
                            ),
                            "authors": ["su-wanning"],
                        },
                    },
                    {
                        "kind": "industry",
                        "title": (
                            "唱片公司 Aurora Music Group 与 AI 音乐生成平台 Cadenza "
                            "达成全球许可协议"
                        ),
                        "published_on": "2024-08-13",
                        "source": "Aurora Music Group 官网",
                        "jurisdictions": ["us"],
                        "tags": ["版权", "音乐", "许可"],
                        "summary": (
                            "<p>2024 年 8 月 13 日，唱片公司 Aurora Music Group "
                            "宣布与人工智能音乐生成平台 Cadenza 达成全球许可协议。根据协议，"
                            "Cadenza 可以使用 Aurora "
                            "旗下经授权的录音制品和词曲作品训练其音乐生成模型。协议的主要安排包括："
                            "</p><ol><li><p>选择加入机制："
                            "仅纳入明确同意参与的艺人和词曲作者的作品；</p></li><li><p>收益分成："
                            "Cadenza 将按照生成内容的使用量向权利人支付分成；</p></li><li><p>"
                            "声音保护：未经艺人单独授权，平台不得生成模仿其声音的内容，"
                            "并须部署相应的过滤机制。</p></li></ol>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://www.auroramusic.example.com/news/2024/08/13/aurora-"
                                    "music-group-and-cadenza-announce-global-licensing-agreement-"
                                    "for-responsible-ai-music-generation/"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>在多起音乐版权诉讼尚未审结的背景下，"
                                "权利人与人工智能企业通过许可协议解决训练数据授权问题的趋势日益明显"
                                "。本次协议中的“选择加入”和“声音保护”"
                                "安排回应了艺人对声音被模仿的担忧，"
                                "也为行业提供了可资参考的交易结构。</p><p>从交易角度看，"
                                "按使用量分成的计费模式对生成内容的溯源和计量能力提出了较高要求。"
                                "国内企业在与唱片公司、版权代理机构洽谈类似授权时，"
                                "应重点关注授权范围是否覆盖训练、微调和输出三个环节，"
                                "以及协议终止后模型是否需要“遗忘”相关数据。</p>"
                            ),
                            "authors": ["zhou-yingxue"],
                        },
                    },
                    {
                        "kind": "industry",
                        "title": "德国汽车制造商 Nordwerk 宣布在量产车型中部署车载大语言模型助手",
                        "published_on": "2024-08-19",
                        "source": "Nordwerk 新闻中心",
                        "jurisdictions": ["de"],
                        "tags": ["智能汽车", "数据保护"],
                        "summary": (
                            "<p>2024 年 8 月 19 日，德国汽车制造商 Nordwerk 宣布将在 2025 "
                            "款车型中部署基于大语言模型的语音助手，支持自然语言导航、"
                            "车辆功能控制和行程规划。</p><p>Nordwerk 表示，语音数据默认在车端处理，"
                            "仅在用户主动启用云端功能时才上传至位于欧盟境内的服务器，"
                            "且上传的数据不会被用于模型训练。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://newsroom.nordwerk.example.com/en/press-releases/2024/"
                                    "08/19/nordwerk-brings-large-language-model-voice-assistant-to-"
                                    "2025-model-year-vehicles.html"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "industry",
                        "title": "新加坡示例银行推出基于生成式人工智能的理财助手",
                        "published_on": "2024-08-21",
                        "source": "新加坡示例银行官网",
                        "jurisdictions": ["sg"],
                        "tags": ["金融科技"],
                        "summary": (
                            "<p>2024 年 8 月 21 日，新加坡示例银行宣布，"
                            "其基于生成式人工智能的理财助手已完成沙盒测试，正式向零售客户开放。"
                            "该助手可以根据客户的持仓情况和风险偏好解释产品条款、回答市场问题，"
                            "但不提供个性化的投资建议。</p><p>该行表示，"
                            "理财助手的每一条回答均会注明信息来源；在涉及具体产品推荐时，"
                            "系统将自动转接持牌理财顾问。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://www.examplebank.example.com/sg/about-us/newsroom/2024/"
                                    "generative-ai-wealth-assistant-launch.html"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "industry",
                        "title": "示例云发布面向法律行业的大模型“律衡”",
                        "published_on": "2024-08-23",
                        "source": "示例云官方微信公众号",
                        "jurisdictions": ["cn"],
                        "tags": ["法律科技"],
                        "summary": (
                            "<p>2024 年 8 月 23 日，"
                            "示例云计算有限公司发布面向法律行业的大模型“律衡”。据介绍，“律衡”"
                            "具备以下能力：</p><ol><li><p>类案检索：支持以自然语言描述案情，"
                            "返回相关裁判文书及裁判要旨；</p></li><li><p>合同审查："
                            "可按照用户预设的审查清单标注风险条款并提出修改建议；</p></li><li><p>"
                            "引用核验：生成内容中引用的法律条文和案例均附有原文链接，便于人工核对。"
                            "</p></li></ol><p>该产品目前面向律师事务所和企业法务部门开放试用。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": "https://mp.example.com/s/Lv3HcN0sW7eQpR5tU9yZkA",
                            },
                        ],
                    },
                    {
                        "kind": "industry",
                        "title": "示例数据产业协会发布《人工智能训练数据合规自律公约》",
                        "published_on": "2024-08-29",
                        "source": "示例数据产业协会官网",
                        "jurisdictions": ["cn"],
                        "tags": ["训练数据", "行业自律"],
                        "summary": (
                            "<p>2024 年 8 月 29 日，示例数据产业协会联合 40 "
                            "余家企业和科研机构发布《人工智能训练数据合规自律公约》（以下称“《公约"
                            "》”）。</p><p>《公约》的主要内容包括：</p><ul><li><p>数据来源："
                            "优先使用经授权的数据和采用公开许可的数据，"
                            "尊重权利人以合理方式作出的不得用于训练的声明；</p></li><li><p>"
                            "个人信息：训练前对个人信息进行去标识化处理，"
                            "不使用未成年人的个人信息训练面向公众的模型；</p></li><li><p>透明度："
                            "以摘要形式公开训练数据的主要来源和类别；</p></li><li><p>投诉处理："
                            "建立权利人投诉渠道，并在 15 个工作日内予以答复。</p></li></ul>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://www.data-industry.example.org/news/20240829/ai-"
                                    "training-data-compliance-self-regulation-convention.html"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "industry",
                        "title": (
                            "视频平台 StreamNest 更新服务条款，允许创作者选择是否授权第三方 AI 训练"
                        ),
                        "published_on": "2024-08-30",
                        "source": "StreamNest 官方博客",
                        "jurisdictions": ["us"],
                        "tags": ["训练数据", "平台治理"],
                        "summary": (
                            "<p>2024 年 8 月 30 日，视频平台 StreamNest "
                            "更新服务条款并推出新的创作者设置。"
                            "创作者可以在后台选择是否允许经平台认证的第三方人工智能公司使用其视频训"
                            "练模型，该设置默认为“不允许”。</p><p>StreamNest 表示，"
                            "未经认证的第三方抓取平台视频的行为仍违反服务条款，"
                            "平台将继续采取技术措施予以阻止。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://blog.streamnest.example.com/creators/2024/08/30/new-"
                                    "creator-controls-for-third-party-ai-training?ref=newsroom&"
                                    "lang=en-US"
                                ),
                            },
                        ],
                    },
                ],
            },
        ],
    },
    {
        "number": 2,
        "year": 2024,
        "month": 9,
        "title": "2024 年 9 月刊（编辑中）",
        "slug": "2024-09",
        "volume": "2024 年第 9 期",
        "editors_note": "<p>【草稿】本期条目仍在整理中，摘要和短评待审阅后补充完善。</p>",
        "writers": ["lin-qingshan", "he-chengze"],
        "state": "draft",
        "published_at": None,
        "sections": [
            {
                "title": "最新法律与监管动态",
                "entries": [
                    {
                        "kind": "regulation",
                        "title": "示例标准化技术委员会就生成合成内容标识国家标准征求意见",
                        "published_on": "2024-09-14",
                        "source": "全国示例标准化技术委员会官网",
                        "jurisdictions": ["cn"],
                        "tags": ["内容标识", "国家标准"],
                        "summary": (
                            "<p>2024 年 9 月 14 日，全国示例标准化技术委员会就《网络安全技术 "
                            "人工智能生成合成内容标识方法》强制性国家标准（征求意见稿）"
                            "公开征求意见。征求意见稿主要规定了：</p><ol><li><p>文本、图片、音频、"
                            "视频等不同类型生成内容的显式标识方法；</p></li><li><p>"
                            "在文件元数据中添加隐式标识的格式要求；</p></li><li><p>"
                            "内容传播平台对标识进行核验和提示的要求。</p></li></ol>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://www.standards-tc.example.org/front/postDetail.html?id="
                                    "20240914180102&type=consultation&category="
                                    "%E6%A0%87%E5%87%86%E5%BE%81%E6%B1%82%E6%84%8F%E8%A7%81"
                                ),
                            },
                        ],
                        "commentary": {
                            "body": (
                                "<p>征求意见稿将显式标识和隐式标识的具体格式落实到技术标准层面，"
                                "强制性国家标准一经发布即具有约束力。"
                                "提供生成合成服务的企业应尽早评估现有产品的标识方案，"
                                "并关注标准正式发布后的过渡期安排。（初稿，待林青山律师审阅）</p>"
                            ),
                            "authors": ["lin-qingshan"],
                        },
                    },
                    {
                        "kind": "case",
                        "title": (
                            "插画师起诉 Canvasly，称其图像生成模型可按姓名输出高度近似其画风的作品"
                        ),
                        "published_on": "2024-09-03",
                        "source": "示例法律新闻网",
                        "case_caption": "Nguyen v. Canvasly, Inc.",
                        "docket_number": "5:24-cv-06118",
                        "court": "N.D. Cal.",
                        "jurisdictions": ["us"],
                        "tags": ["版权", "图像生成"],
                        "summary": (
                            "<p>2024 年 9 月 2 日，"
                            "一名插画师在美国加州北区联邦地区法院起诉图像生成平台 Canvasly，"
                            "指控其模型在用户输入原告姓名作为提示词时，"
                            "可以输出与原告作品高度近似的图像。</p><p>原告提出版权侵权、"
                            "违反加州《公开权法》及不正当竞争等主张。（摘要待补充）</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://legalnews.example.com/litigation/illustrator-sues-"
                                    "canvasly-over-name-based-style-prompts-2024-09-03"
                                ),
                            },
                            {
                                "kind": "complaint",
                                "label": "起诉状",
                                "url": (
                                    "https://storage.court-archive.example.org/recap/"
                                    "gov.uscourts.cand.436902/gov.uscourts.cand.436902.1.0.pdf"
                                ),
                            },
                        ],
                    },
                ],
            },
            {
                "title": "最新行业动态",
                "entries": [
                    {
                        "kind": "industry",
                        "title": "多家内容平台上线人工智能生成内容标识功能",
                        "published_on": "2024-09-10",
                        "source": "示例科技新闻网",
                        "jurisdictions": ["cn"],
                        "tags": ["内容标识"],
                        "summary": (
                            "<p>2024 年 9 月上旬，"
                            "多家短视频和社交平台陆续上线人工智能生成内容标识功能，"
                            "创作者发布内容时可主动声明内容由人工智能生成，"
                            "平台也将对检测到的疑似生成内容添加提示。</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": (
                                    "https://tech.example.com/news/2024/09/10/platforms-roll-out-"
                                    "ai-generated-content-labels.html"
                                ),
                            },
                        ],
                    },
                    {
                        "kind": "industry",
                        "title": "示例智能科技发布推理模型“星河-R”预览版",
                        "published_on": "2024-09-12",
                        "source": "示例智能科技官方微信公众号",
                        "jurisdictions": ["cn"],
                        "tags": ["大模型"],
                        "summary": (
                            "<p>2024 年 9 月 12 日，示例智能科技有限公司发布推理模型“星河-R”"
                            "的预览版，称其在数学和代码任务上的表现较前代模型明显提升。"
                            "（待补充官方技术报告信息）</p>"
                        ),
                        "links": [
                            {
                                "kind": "primary",
                                "label": "",
                                "url": "https://mp.example.com/s/Rt5mK8vNq2LzX7wYc4HbJd",
                            },
                        ],
                    },
                ],
            },
        ],
    },
]
