"""Text of the demo course, in English with French and Arabic translations.

Short on purpose: enough to click through. Facts follow ../shared/curriculum/FACTS.md
and cite only article numbers it marks verified ([V]) or sourced ([S]).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class T:
    """One translatable string: English source and its translations."""

    en: str
    fr: str
    ar: str


# The home page exists in every language; its intro is written for each, its title is the
# site's name in that language (courses/brand.py).
HOME_INTRO = {
    "en": (
        "Short courses on electronic evidence, cybercrime investigation "
        "and human-rights safeguards, for police, prosecutors, judges and forensic staff."
    ),
    "fr": (
        "Des cours courts sur la preuve électronique, les enquêtes sur la "
        "cybercriminalité et les garanties des droits humains, pour policiers, procureurs, "
        "juges et experts forensiques."
    ),
    "es": (
        "Cursos breves sobre prueba electrónica, investigación de la "
        "ciberdelincuencia y garantías de derechos humanos, para policías, fiscales, jueces y "
        "personal forense."
    ),
    "ar": (
        "دورات قصيرة عن الأدلة الإلكترونية والتحقيق في الجرائم السيبرانية "
        "وضمانات حقوق الإنسان، لأفراد الشرطة وأعضاء النيابة العامة والقضاة وخبراء الأدلة الجنائية."
    ),
    "ru": (
        "Короткие курсы об электронных доказательствах, расследовании "
        "киберпреступлений и гарантиях прав человека для сотрудников полиции, прокуроров, "
        "судей и экспертов-криминалистов."
    ),
    "zh-hans": "面向警察、检察官、法官和取证人员的电子证据、网络犯罪调查与人权保障短期课程。",
    "pt": (
        "Cursos breves sobre prova eletrónica, investigação da "
        "cibercriminalidade e salvaguardas de direitos humanos, para polícias, procuradores, "
        "juízes e peritos forenses."
    ),
    "vi": (
        "Các khóa học ngắn về chứng cứ điện tử, điều tra tội phạm mạng và "
        "các bảo đảm quyền con người, dành cho cảnh sát, kiểm sát viên, thẩm phán và cán bộ "
        "giám định."
    ),
}

COURSE = {
    "slug": T(
        "electronic-evidence-first-look",
        "preuve-electronique-premier-apercu",
        "الأدلة-الإلكترونية-نظرة-أولى",
    ),
    "title": T(
        "Electronic evidence: a first look",
        "La preuve électronique : un premier aperçu",
        "الأدلة الإلكترونية: نظرة أولى",
    ),
    "summary": T(
        "A short demonstration course: what electronic evidence is, why it must be handled "
        "with care, and how data can be frozen quickly before it disappears.",
        "Un court cours de démonstration : ce qu’est la preuve électronique, pourquoi elle doit "
        "être traitée avec soin et comment geler rapidement des données avant qu’elles ne "
        "disparaissent.",
        "دورة تجريبية قصيرة: ما هي الأدلة الإلكترونية، ولماذا يجب التعامل معها بعناية، وكيف "
        "يمكن تجميد البيانات بسرعة قبل أن تختفي.",
    ),
    "objectives": [
        T(
            "Tell traffic data, content data and subscriber information apart.",
            "Distinguer les données relatives au trafic, les données relatives au contenu et "
            "les informations relatives aux abonnés.",
            "التمييز بين بيانات الحركة وبيانات المحتوى ومعلومات المشترك.",
        ),
        T(
            "Collect the most volatile data first and keep a record of every step.",
            "Recueillir d’abord les données les plus volatiles et consigner chaque étape.",
            "جمع البيانات الأكثر تقلبًا أولًا وتسجيل كل خطوة.",
        ),
        T(
            "Explain what an expedited preservation order does and does not do.",
            "Expliquer ce que fait, et ne fait pas, une injonction de conservation rapide.",
            "شرح ما يفعله أمر التحفظ العاجل وما لا يفعله.",
        ),
    ],
}

MODULES = [
    {
        "slug": T(
            "understanding-electronic-evidence",
            "comprendre-la-preuve-electronique",
            "فهم-الأدلة-الإلكترونية",
        ),
        "title": T(
            "Understanding electronic evidence",
            "Comprendre la preuve électronique",
            "فهم الأدلة الإلكترونية",
        ),
        "intro": T(
            "Almost any crime can leave electronic traces. This module names the kinds of data "
            "and shows how to collect them without changing them.",
            "Presque toute infraction peut laisser des traces électroniques. Ce module nomme les "
            "catégories de données et montre comment les recueillir sans les modifier.",
            "يمكن لأي جريمة تقريبًا أن تترك آثارًا إلكترونية. تعرّف هذه الوحدة بأنواع البيانات "
            "وتبيّن كيفية جمعها دون تغييرها.",
        ),
    },
    {
        "slug": T("preserving-data", "conserver-les-donnees", "حفظ-البيانات"),
        "title": T(
            "Preserving data quickly", "Conserver rapidement les données", "حفظ البيانات بسرعة"
        ),
        "intro": T(
            "Data held by service providers can be deleted in days. This module explains how to "
            "have it preserved quickly.",
            "Les données détenues par les fournisseurs de services peuvent être effacées en "
            "quelques jours. Ce module explique comment en obtenir la conservation rapide.",
            "يمكن حذف البيانات التي يحتفظ بها مقدمو الخدمات في غضون أيام. تشرح هذه الوحدة "
            "كيفية طلب التحفظ عليها بسرعة.",
        ),
    },
]

UNCC_REF = T(
    "United Nations Convention against Cybercrime, adopted by General Assembly resolution "
    "79/243 (24 December 2024)",
    "Convention des Nations Unies contre la cybercriminalité, adoptée par la résolution 79/243 "
    "de l’Assemblée générale (24 décembre 2024)",
    "اتفاقية الأمم المتحدة لمكافحة الجريمة السيبرانية، المعتمدة بقرار الجمعية العامة 79/243 "
    "(24 كانون الأول/ديسمبر 2024)",
)
BUDAPEST_REF = T(
    "Council of Europe Convention on Cybercrime (Budapest Convention), ETS No. 185",
    "Convention du Conseil de l’Europe sur la cybercriminalité (Convention de Budapest), "
    "STE n° 185",
    "اتفاقية مجلس أوروبا بشأن الجريمة الإلكترونية (اتفاقية بودابست)، مجموعة المعاهدات "
    "الأوروبية رقم 185",
)

# Each lesson: module index, slug, title, minutes, and a body of (block type, value) pairs
# in which every T is a translatable string.
LESSONS = [
    {
        "module": 0,
        "slug": T("three-kinds-of-data", "trois-categories-de-donnees", "ثلاثة-أنواع-من-البيانات"),
        "title": T("Three kinds of data", "Trois catégories de données", "ثلاثة أنواع من البيانات"),
        "minutes": 6,
        "body": [
            (
                "paragraph",
                [
                    T(
                        "Investigators ask service providers for three different kinds of data. The "
                        "law treats them differently, so the request must name the right one.",
                        "Les enquêteurs demandent aux fournisseurs de services trois catégories de "
                        "données. Le droit les traite différemment : la demande doit nommer la bonne.",
                        "يطلب المحققون من مقدمي الخدمات ثلاثة أنواع مختلفة من البيانات. ويعاملها "
                        "القانون معاملة مختلفة، لذا يجب أن يسمّي الطلب النوع الصحيح.",
                    ),
                ],
            ),
            (
                "legal_provision",
                {
                    "instrument": T(
                        "UN Convention against Cybercrime",
                        "Convention des Nations Unies contre la cybercriminalité",
                        "اتفاقية الأمم المتحدة لمكافحة الجريمة السيبرانية",
                    ),
                    "article": T("Art. 2(c)", "art. 2, al. c)", "المادة 2(ج)"),
                    "text": T(
                        "Traffic data describes a communication: its origin, destination, route, "
                        "time, date, size, duration and the type of service used.",
                        "Les données relatives au trafic décrivent une communication : son origine, "
                        "sa destination, son itinéraire, l’heure, la date, la taille, la durée et le "
                        "type de service utilisé.",
                        "تصف بيانات الحركة الاتصالَ: مصدره ووجهته ومساره ووقته وتاريخه وحجمه ومدته "
                        "ونوع الخدمة المستخدمة.",
                    ),
                    "is_paraphrase": True,
                },
            ),
            (
                "key_points",
                [
                    T(
                        "Content data is the substance of a communication: text, images, voice and "
                        "video (UN Convention, Art. 2(d)).",
                        "Les données relatives au contenu sont la substance d’une communication : "
                        "texte, images, voix et vidéo (Convention des Nations Unies, art. 2, al. d)).",
                        "بيانات المحتوى هي مضمون الاتصال: النصوص والصور والصوت والفيديو (اتفاقية "
                        "الأمم المتحدة، المادة 2(د)).",
                    ),
                    T(
                        "Subscriber information identifies the customer and the service: name, "
                        "address, telephone number, billing (Budapest Convention, Art. 18(3)).",
                        "Les informations relatives aux abonnés identifient le client et le service : "
                        "nom, adresse, numéro de téléphone, facturation (Convention de Budapest, "
                        "art. 18, par. 3).",
                        "معلومات المشترك تحدد هوية العميل والخدمة: الاسم والعنوان ورقم الهاتف "
                        "والفوترة (اتفاقية بودابست، المادة 18(3)).",
                    ),
                    T(
                        "Content is usually the most protected; ask only for what the case needs.",
                        "Le contenu est en général le plus protégé : ne demandez que ce dont l’affaire "
                        "a besoin.",
                        "المحتوى هو عادةً الأكثر حماية؛ فلا تطلب إلا ما تحتاجه القضية.",
                    ),
                ],
            ),
            ("references", [UNCC_REF, BUDAPEST_REF]),
        ],
    },
    {
        "module": 0,
        "slug": T(
            "volatility-and-first-response",
            "volatilite-et-premiere-intervention",
            "التقلب-والاستجابة-الأولى",
        ),
        "title": T(
            "Volatility and first response",
            "Volatilité et première intervention",
            "تقلب البيانات والاستجابة الأولى",
        ),
        "minutes": 7,
        "body": [
            (
                "paragraph",
                [
                    T(
                        "Some data disappears when a device is switched off. RFC 3227 lists data from "
                        "most to least volatile: memory is collected before the disk, and the disk "
                        "before archives.",
                        "Certaines données disparaissent quand un appareil est éteint. Le RFC 3227 "
                        "classe les données de la plus volatile à la moins volatile : la mémoire est "
                        "recueillie avant le disque, et le disque avant les archives.",
                        "تختفي بعض البيانات عند إطفاء الجهاز. ويرتب المعيار RFC 3227 البيانات من "
                        "الأكثر تقلبًا إلى الأقل: تُجمع الذاكرة قبل القرص، والقرص قبل الأرشيف.",
                    ),
                ],
            ),
            (
                "callout",
                {
                    "kind": "tip",
                    "title": T(
                        "Work so that others can repeat it",
                        "Travaillez de façon reproductible",
                        "اعمل بطريقة يمكن للآخرين تكرارها",
                    ),
                    "body": T(
                        "Keep an audit trail of every process, so that an independent expert can "
                        "repeat it and reach the same result (ACPO Principle 3).",
                        "Tenez une trace de chaque opération, afin qu’un expert indépendant puisse "
                        "la répéter et obtenir le même résultat (principe 3 de l’ACPO).",
                        "احتفظ بسجل لكل عملية، حتى يتمكن خبير مستقل من تكرارها والوصول إلى النتيجة "
                        "نفسها (المبدأ 3 من مبادئ ACPO).",
                    ),
                },
            ),
            (
                "scenario",
                {
                    "title": T(
                        "A running laptop",
                        "Un ordinateur portable allumé",
                        "حاسوب محمول قيد التشغيل",
                    ),
                    "situation": T(
                        "During a search, officers find a laptop that is switched on, with a "
                        "messaging application open.",
                        "Lors d’une perquisition, les agents trouvent un ordinateur portable allumé, "
                        "avec une messagerie ouverte.",
                        "أثناء التفتيش، يجد الضباط حاسوبًا محمولًا قيد التشغيل وتطبيق مراسلة مفتوحًا "
                        "عليه.",
                    ),
                    "questions": [
                        T(
                            "What would be lost if the laptop were switched off now?",
                            "Que perdrait-on si l’ordinateur était éteint maintenant ?",
                            "ما الذي سيُفقد لو أُطفئ الحاسوب الآن؟",
                        ),
                        T(
                            "Who should touch it, and what should they write down?",
                            "Qui doit le manipuler, et que doit-il consigner ?",
                            "من ينبغي أن يتعامل معه، وماذا ينبغي أن يدوّن؟",
                        ),
                    ],
                },
            ),
            (
                "references",
                [
                    T(
                        "RFC 3227, Guidelines for Evidence Collection and Archiving, section 2.1",
                        "RFC 3227, Guidelines for Evidence Collection and Archiving, section 2.1",
                        "RFC 3227، إرشادات جمع الأدلة وأرشفتها، القسم 2.1",
                    ),
                    T(
                        "ACPO Good Practice Guide for Digital Evidence, version 5 (2011)",
                        "ACPO Good Practice Guide for Digital Evidence, version 5 (2011)",
                        "دليل ACPO للممارسات الجيدة في الأدلة الرقمية، الإصدار 5 (2011)",
                    ),
                ],
            ),
        ],
    },
    {
        "module": 1,
        "slug": T("expedited-preservation", "conservation-rapide", "التحفظ-العاجل"),
        "title": T("Expedited preservation", "La conservation rapide", "التحفظ العاجل"),
        "minutes": 6,
        "body": [
            (
                "paragraph",
                [
                    T(
                        "A preservation order tells the holder of specified stored data to keep it "
                        "intact, especially where it could be lost or changed, while the authorities "
                        "obtain an order to disclose it.",
                        "Une injonction de conservation oblige le détenteur de données stockées "
                        "déterminées à les garder intactes, surtout si elles risquent d’être perdues "
                        "ou modifiées, le temps que les autorités obtiennent un ordre de divulgation.",
                        "يُلزم أمر التحفظ حائزَ بيانات مخزنة محددة بالإبقاء عليها سليمة، ولا سيما إذا "
                        "كانت عرضة للضياع أو التعديل، ريثما تحصل السلطات على أمر بالإفصاح عنها.",
                    ),
                ],
            ),
            (
                "legal_provision",
                {
                    "instrument": T(
                        "Budapest Convention", "Convention de Budapest", "اتفاقية بودابست"
                    ),
                    "article": T("Art. 16", "art. 16", "المادة 16"),
                    "text": T(
                        "Preservation may be ordered for up to 90 days, which may be renewed, and "
                        "the custodian may be required to keep it confidential.",
                        "La conservation peut être ordonnée pour 90 jours au plus, renouvelables, et "
                        "le gardien des données peut être tenu au secret.",
                        "يجوز الأمر بالتحفظ لمدة أقصاها 90 يومًا قابلة للتجديد، ويجوز إلزام حائز "
                        "البيانات بالسرية.",
                    ),
                    "is_paraphrase": True,
                },
            ),
            (
                "callout",
                {
                    "kind": "safeguard",
                    "title": T(
                        "A freeze, not a disclosure",
                        "Un gel, pas une divulgation",
                        "تجميد لا إفصاح",
                    ),
                    "body": T(
                        "Preservation keeps data that already exists. It is not data retention and "
                        "hands nothing to the police: disclosure needs its own order, with the "
                        "conditions and safeguards of Article 15.",
                        "La conservation garde des données qui existent déjà. Ce n’est pas une "
                        "rétention de données et elle ne transmet rien à la police : la divulgation "
                        "exige son propre ordre, avec les conditions et sauvegardes de l’article 15.",
                        "يحفظ التحفظ بيانات موجودة بالفعل. وهو ليس احتفاظًا بالبيانات ولا يسلّم شيئًا "
                        "إلى الشرطة: فالإفصاح يتطلب أمرًا خاصًا به، مع الشروط والضمانات الواردة في "
                        "المادة 15.",
                    ),
                },
            ),
            (
                "exercise",
                {
                    "title": T(
                        "Draft a preservation request",
                        "Rédigez une demande de conservation",
                        "صُغ طلب تحفظ",
                    ),
                    "task": T(
                        "A provider tells you that it deletes its connection logs after seven "
                        "days. Draft a short preservation request for the logs of one IP address "
                        "on one evening.",
                        "Un fournisseur vous indique qu’il supprime ses journaux de connexion au "
                        "bout de sept jours. Rédigez une courte demande de conservation des "
                        "journaux d’une adresse IP pour une soirée.",
                        "يبلغك مقدّم خدمة بأنه يحذف سجلات الاتصال لديه بعد سبعة أيام. صُغ طلب "
                        "تحفظ قصيرًا على سجلات عنوان IP واحد خلال أمسية واحدة.",
                    ),
                    "fields": [
                        (
                            "provider",
                            T("Provider", "Fournisseur", "مقدّم الخدمة"),
                            T(
                                "Who holds the data.",
                                "Qui détient les données.",
                                "من يحوز البيانات.",
                            ),
                            False,
                        ),
                        (
                            "data",
                            T(
                                "Data to preserve",
                                "Données à conserver",
                                "البيانات المطلوب التحفظ عليها",
                            ),
                            T(
                                "Which records, for which address.",
                                "Quels enregistrements, pour quelle adresse.",
                                "أي سجلات، ولأي عنوان.",
                            ),
                            True,
                        ),
                        (
                            "period",
                            T("Period", "Période", "الفترة"),
                            T(
                                "Start, end and time zone; how long to keep the data.",
                                "Début, fin et fuseau horaire ; durée de conservation.",
                                "البداية والنهاية والمنطقة الزمنية؛ ومدة الاحتفاظ بالبيانات.",
                            ),
                            False,
                        ),
                        (
                            "confidentiality",
                            T("Confidentiality", "Confidentialité", "السرية"),
                            T(
                                "What the provider must not reveal.",
                                "Ce que le fournisseur ne doit pas révéler.",
                                "ما يجب ألا يكشفه مقدّم الخدمة.",
                            ),
                            True,
                        ),
                    ],
                    "model_answer": [
                        T(
                            "Provider: the access provider that assigned the IP address. Data: its "
                            "connection logs for that address, and the subscriber information of the "
                            "account that used it; nothing else.",
                            "Fournisseur : le fournisseur d’accès qui a attribué l’adresse IP. "
                            "Données : ses journaux de connexion pour cette adresse, et les "
                            "informations relatives à l’abonné du compte qui l’a utilisée ; rien "
                            "d’autre.",
                            "مقدّم الخدمة: مقدّم خدمة النفاذ الذي خصّص عنوان IP. البيانات: سجلات "
                            "الاتصال لديه الخاصة بهذا العنوان، ومعلومات المشترك الخاصة بالحساب الذي "
                            "استخدمه؛ ولا شيء غير ذلك.",
                        ),
                        T(
                            "Period: the evening in question, with a margin, in UTC. Keep the data "
                            "for up to 90 days; a renewal may be asked for. The provider keeps it "
                            "intact and discloses nothing until a production order follows.",
                            "Période : la soirée en cause, avec une marge, en UTC. Conserver les "
                            "données pendant 90 jours au plus ; un renouvellement peut être demandé. "
                            "Le fournisseur les garde intactes et ne divulgue rien tant qu’une "
                            "injonction de produire n’a pas suivi.",
                            "الفترة: الأمسية المعنية، مع هامش، بالتوقيت العالمي المنسّق. الاحتفاظ "
                            "بالبيانات مدة أقصاها 90 يومًا، ويجوز طلب تجديدها. ويُبقي مقدّم الخدمة "
                            "البيانات سليمة ولا يكشف عن شيء إلى أن يصدر أمر تقديم.",
                        ),
                        T(
                            "Confidentiality: the provider must not tell the customer, so that the "
                            "suspect is not warned.",
                            "Confidentialité : le fournisseur ne doit pas informer le client, afin "
                            "que le suspect ne soit pas alerté.",
                            "السرية: يجب ألا يُبلغ مقدّم الخدمة العميل، حتى لا يُنبَّه المشتبه فيه.",
                        ),
                    ],
                    "checklist": [
                        (
                            "specified-data",
                            T(
                                "It names the address and the records precisely, and nothing more.",
                                "Elle désigne précisément l’adresse et les enregistrements, et rien "
                                "de plus.",
                                "يحدد العنوان والسجلات بدقة، ولا شيء غير ذلك.",
                            ),
                        ),
                        (
                            "period",
                            T(
                                "It gives an exact period and its time zone.",
                                "Elle indique une période exacte et son fuseau horaire.",
                                "يذكر فترة دقيقة ومنطقتها الزمنية.",
                            ),
                        ),
                        (
                            "keep-not-disclose",
                            T(
                                "It asks to keep existing data intact, not to hand it over.",
                                "Elle demande de garder intactes les données existantes, non de les "
                                "transmettre.",
                                "يطلب الإبقاء على البيانات الموجودة سليمة، لا تسليمها.",
                            ),
                        ),
                        (
                            "confidentiality",
                            T(
                                "It asks the provider to keep the request confidential.",
                                "Elle demande au fournisseur de garder la demande confidentielle.",
                                "يطلب من مقدّم الخدمة الحفاظ على سرية الطلب.",
                            ),
                        ),
                    ],
                },
            ),
            (
                "references",
                [
                    BUDAPEST_REF,
                    T(
                        "Explanatory Report to the Budapest Convention, paragraph 155",
                        "Rapport explicatif de la Convention de Budapest, paragraphe 155",
                        "التقرير التفسيري لاتفاقية بودابست، الفقرة 155",
                    ),
                ],
            ),
        ],
    },
]

# Quizzes: where they go ("course" or a module index), their kind, and their questions.
# In ordering questions the steps are listed in the correct order.
QUIZZES = [
    {
        "parent": "course",
        "kind": "pre",
        "slug": T("pre-test", "test-initial", "الاختبار-القبلي"),
        "title": T("Pre-test", "Test initial", "الاختبار القبلي"),
        "questions": [
            {
                "type": "single_choice",
                "stem": T(
                    "Under the Budapest Convention, for how long may the preservation of stored data be ordered before it is renewed?",
                    "En vertu de la Convention de Budapest, pour combien de temps la conservation de données stockées peut-elle être ordonnée avant d’être renouvelée ?",
                    "بموجب اتفاقية بودابست، ما المدة التي يجوز الأمر فيها بالتحفظ على البيانات المخزنة قبل تجديده؟",
                ),
                "options": [
                    (T("Up to 30 days", "30 jours au plus", "30 يومًا كحد أقصى"), False),
                    (T("Up to 90 days", "90 jours au plus", "90 يومًا كحد أقصى"), True),
                    (T("Up to one year", "Un an au plus", "سنة واحدة كحد أقصى"), False),
                ],
                "explanation": T(
                    "Article 16 of the Budapest Convention: up to 90 days, which may be renewed.",
                    "Article 16 de la Convention de Budapest : 90 jours au plus, renouvelables.",
                    "المادة 16 من اتفاقية بودابست: 90 يومًا كحد أقصى، قابلة للتجديد.",
                ),
            },
            {
                "type": "true_false",
                "stem": T(
                    "A preservation order hands the data to the police.",
                    "Une injonction de conservation transmet les données à la police.",
                    "أمر التحفظ يسلّم البيانات إلى الشرطة.",
                ),
                "answer": False,
                "explanation": T(
                    "Preservation only keeps the data intact; disclosure needs its own order.",
                    "La conservation garde seulement les données intactes ; la divulgation exige son propre ordre.",
                    "التحفظ يُبقي البيانات سليمة فقط؛ أما الإفصاح فيتطلب أمرًا خاصًا به.",
                ),
            },
        ],
    },
    {
        "parent": 0,
        "kind": "module",
        "slug": T("module-quiz", "quiz-du-module", "اختبار-الوحدة"),
        "title": T("Module quiz", "Quiz du module", "اختبار الوحدة"),
        "questions": [
            {
                "type": "single_choice",
                "stem": T(
                    "Which kind of data describes the route, time and duration of a communication?",
                    "Quelle catégorie de données décrit l’itinéraire, l’heure et la durée d’une communication ?",
                    "أي نوع من البيانات يصف مسار الاتصال ووقته ومدته؟",
                ),
                "options": [
                    (T("Traffic data", "Données relatives au trafic", "بيانات الحركة"), True),
                    (T("Content data", "Données relatives au contenu", "بيانات المحتوى"), False),
                    (
                        T(
                            "Subscriber information",
                            "Informations relatives aux abonnés",
                            "معلومات المشترك",
                        ),
                        False,
                    ),
                ],
                "explanation": T(
                    "See the lesson “Three kinds of data”: UN Convention, Art. 2(c).",
                    "Voir la leçon « Trois catégories de données » : Convention des Nations Unies, art. 2, al. c).",
                    "انظر درس «ثلاثة أنواع من البيانات»: اتفاقية الأمم المتحدة، المادة 2(ج).",
                ),
            },
            {
                "type": "true_false",
                "stem": T(
                    "RFC 3227 collects the disk before memory.",
                    "Le RFC 3227 recueille le disque avant la mémoire.",
                    "وفق RFC 3227 يُجمع القرص قبل الذاكرة.",
                ),
                "answer": False,
                "explanation": T(
                    "Memory is more volatile than the disk, so it comes first.",
                    "La mémoire est plus volatile que le disque : elle passe en premier.",
                    "الذاكرة أكثر تقلبًا من القرص، لذا تأتي أولًا.",
                ),
            },
            {
                "type": "ordering",
                "stem": T(
                    "Put these in the order RFC 3227 collects them, most volatile first.",
                    "Classez-les dans l’ordre de collecte du RFC 3227, du plus volatile au moins volatile.",
                    "رتّبها حسب ترتيب الجمع في RFC 3227، من الأكثر تقلبًا إلى الأقل.",
                ),
                "items": [
                    T("Memory", "Mémoire", "الذاكرة"),
                    T("Disk", "Disque", "القرص"),
                    T("Archival media", "Supports d’archivage", "وسائط الأرشفة"),
                ],
                "explanation": T(
                    "See the lesson “Volatility and first response”.",
                    "Voir la leçon « Volatilité et première intervention ».",
                    "انظر درس «تقلب البيانات والاستجابة الأولى».",
                ),
            },
        ],
    },
    {
        # Taken by holders of a version-1 certificate after the legal update below; before the
        # post-test, which stays the course's last page.
        "parent": "course",
        "kind": "update",
        "slug": T("update-quiz", "quiz-de-mise-a-jour", "اختبار-التحديث"),
        "title": T(
            "Update quiz: the UN Convention’s definitions",
            "Quiz de mise à jour : les définitions de la Convention des Nations Unies",
            "اختبار التحديث: تعريفات اتفاقية الأمم المتحدة",
        ),
        "questions": [
            {
                "type": "true_false",
                "stem": T(
                    "The UN Convention against Cybercrime defines traffic data in Article 2(c).",
                    "La Convention des Nations Unies contre la cybercriminalité définit les données "
                    "relatives au trafic à l’article 2, alinéa c).",
                    "تعرّف اتفاقية الأمم المتحدة لمكافحة الجريمة السيبرانية بيانات الحركة في "
                    "المادة 2(ج).",
                ),
                "answer": True,
                "explanation": T(
                    "Article 2(c) defines traffic data and Article 2(d) content data.",
                    "L’article 2, alinéa c), définit les données relatives au trafic, et "
                    "l’alinéa d) les données relatives au contenu.",
                    "تعرّف المادة 2(ج) بيانات الحركة، وتعرّف المادة 2(د) بيانات المحتوى.",
                ),
            },
        ],
    },
    {
        "parent": "course",
        "kind": "post",
        "slug": T("post-test", "test-final", "الاختبار-البعدي"),
        "title": T("Post-test", "Test final", "الاختبار البعدي"),
        "questions": [
            {
                "type": "single_choice",
                "stem": T(
                    "Article 16 of the Budapest Convention allows preservation to be ordered for up to…",
                    "L’article 16 de la Convention de Budapest permet d’ordonner la conservation pour…",
                    "تجيز المادة 16 من اتفاقية بودابست الأمر بالتحفظ لمدة أقصاها…",
                ),
                "options": [
                    (T("60 days", "60 jours au plus", "60 يومًا"), False),
                    (
                        T(
                            "90 days, renewable",
                            "90 jours au plus, renouvelables",
                            "90 يومًا قابلة للتجديد",
                        ),
                        True,
                    ),
                    (T("180 days", "180 jours au plus", "180 يومًا"), False),
                ],
                "explanation": T(
                    "Up to 90 days, renewable (Budapest Convention, Art. 16).",
                    "90 jours au plus, renouvelables (Convention de Budapest, art. 16).",
                    "90 يومًا كحد أقصى، قابلة للتجديد (اتفاقية بودابست، المادة 16).",
                ),
            },
            {
                "type": "true_false",
                "stem": T(
                    "Preservation keeps data that already exists; disclosing it needs a separate order.",
                    "La conservation garde des données qui existent déjà ; leur divulgation exige un ordre distinct.",
                    "التحفظ يحفظ بيانات موجودة بالفعل؛ والإفصاح عنها يتطلب أمرًا منفصلًا.",
                ),
                "answer": True,
                "explanation": T(
                    "Preservation is not data retention and discloses nothing by itself.",
                    "La conservation n’est pas une rétention de données et ne divulgue rien en elle-même.",
                    "التحفظ على البيانات ليس احتفاظًا عامًا بها ولا يُفصح بذاته عن شيء.",
                ),
            },
        ],
    },
]

# The legal update published on the demo course (courses/versions.py): the course moves to
# version 2 after the demo learners' certificates of version 1 were issued.
LEGAL_UPDATE = {
    "lesson": "three-kinds-of-data",
    "summary": T(
        "The lesson “Three kinds of data” now gives the UN Convention against Cybercrime’s "
        "definitions of traffic data and content data (Art. 2(c) and (d)).",
        "La leçon « Trois catégories de données » donne désormais les définitions des données "
        "relatives au trafic et au contenu de la Convention des Nations Unies contre la "
        "cybercriminalité (art. 2, al. c) et d)).",
        "يقدّم درس «ثلاثة أنواع من البيانات» الآن تعريفَي بيانات الحركة وبيانات المحتوى الواردين "
        "في اتفاقية الأمم المتحدة لمكافحة الجريمة السيبرانية (المادة 2(ج) و(د)).",
    ),
    "reason": T(
        "The UN Convention against Cybercrime was opened for signature in Hanoi on 25 October "
        "2025. Requests to service providers should use the terms its Article 2 defines.",
        "La Convention des Nations Unies contre la cybercriminalité a été ouverte à la signature "
        "à Hanoï le 25 octobre 2025. Les demandes aux fournisseurs de services devraient employer "
        "les termes que définit son article 2.",
        "فُتح باب التوقيع على اتفاقية الأمم المتحدة لمكافحة الجريمة السيبرانية في هانوي في 25 "
        "أكتوبر 2025. وينبغي أن تستخدم الطلبات الموجهة إلى مقدمي الخدمات المصطلحات التي تعرّفها "
        "المادة 2 منها.",
    ),
}

# What the demo's learners wrote in the exercise above, and what their instructor said.
DEMO_DRAFT = {
    "provider": T(
        "Rivernet Communications", "Rivernet Communications", "شركة Rivernet Communications"
    ),
    "data": T(
        "Connection logs for the IP address 203.0.113.45, and the subscriber information of the "
        "account that used it.",
        "Les journaux de connexion de l’adresse IP 203.0.113.45, et les informations relatives à "
        "l’abonné du compte qui l’a utilisée.",
        "سجلات الاتصال الخاصة بعنوان IP التالي: 203.0.113.45، ومعلومات المشترك الخاصة بالحساب الذي "
        "استخدمه.",
    ),
    "period": T(
        "3 March, 20:45 to 23:30 UTC; keep for 90 days.",
        "Le 3 mars, de 20 h 45 à 23 h 30 UTC ; conserver 90 jours.",
        "يوم 3 مارس، من 20:45 إلى 23:30 بالتوقيت العالمي المنسّق؛ الاحتفاظ بها 90 يومًا.",
    ),
    "confidentiality": T(
        "Do not tell the customer.",
        "Ne pas informer le client.",
        "عدم إبلاغ العميل.",
    ),
}
DEMO_COMMENT = (
    "Precise and to the point. Next time add your case reference, and say that a production "
    "order will follow: preservation alone gives you nothing to read."
)
