"""The demo's About, Contact, Privacy and Terms pages, in the eight languages of the site.

Short and honest: what the programme is and for whom, a contact address plainly marked as a
demonstration, a privacy summary that leads into the full notice shown below it, and terms
of use that claim nothing the site does not do. ``{site}`` is the site's name in the page's
language (courses/brand.py), ``{email}`` the demo address, as a link.
"""

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import override

from wagtail_localize.strings import extract_strings

from courses import brand
from courses.models.information import InformationKind, InformationPage

DEMO_EMAIL = "training@example.org"

PAGES = {
    InformationKind.ABOUT: {
        "slug": "about",
        "title": {
            "en": "About",
            "fr": "À propos",
            "es": "Acerca de",
            "ar": "حول البرنامج",
            "ru": "О программе",
            "zh-hans": "关于我们",
            "pt": "Sobre",
            "vi": "Giới thiệu",
        },
        "body": {
            "en": [
                "{site} offers short online courses on electronic evidence, cybercrime "
                "investigation and human-rights safeguards. They are written for police "
                "officers, prosecutors, judges and forensic staff, and for the people who "
                "train them.",
                "Learners study at their own pace, on a phone or a computer; instructors use "
                "the same courses in workshops. A learner who completes a course receives a "
                "certificate that anyone can check on the verification page.",
                "The courses explain the UN Convention against Cybercrime, adopted by the UN "
                "General Assembly on 24 December 2024, and the Council of Europe Convention on "
                "Cybercrime (Budapest Convention). They are training material, not legal "
                "advice: for a particular case, read the official texts and the law of your "
                "country.",
            ],
            "fr": [
                "{site} propose des cours en ligne courts sur la preuve électronique, les "
                "enquêtes sur la cybercriminalité et les garanties des droits humains. Ils "
                "s’adressent aux policiers, aux procureurs, aux juges et aux experts "
                "forensiques, ainsi qu’à leurs formateurs.",
                "Chacun apprend à son rythme, sur un téléphone ou un ordinateur ; les "
                "formateurs utilisent les mêmes cours en atelier. Qui termine un cours reçoit "
                "un certificat que chacun peut vérifier sur la page de vérification.",
                "Les cours présentent la Convention des Nations Unies contre la "
                "cybercriminalité, adoptée par l’Assemblée générale des Nations Unies le "
                "24 décembre 2024, et la Convention du Conseil de l’Europe sur la "
                "cybercriminalité (Convention de Budapest). Ce sont des supports de formation, "
                "non des conseils juridiques : pour un cas particulier, lisez les textes "
                "officiels et le droit de votre pays.",
            ],
            "es": [
                "{site} ofrece cursos en línea breves sobre prueba electrónica, investigación "
                "de la ciberdelincuencia y garantías de derechos humanos. Están pensados para "
                "policías, fiscales, jueces y personal forense, y para quienes los forman.",
                "Cada persona estudia a su ritmo, en el teléfono o en el ordenador; los "
                "formadores usan los mismos cursos en talleres. Quien completa un curso recibe "
                "un certificado que cualquiera puede comprobar en la página de verificación.",
                "Los cursos explican la Convención de las Naciones Unidas contra la "
                "Ciberdelincuencia, aprobada por la Asamblea General de las Naciones Unidas el "
                "24 de diciembre de 2024, y el Convenio del Consejo de Europa sobre la "
                "Ciberdelincuencia (Convenio de Budapest). Son material de formación, no "
                "asesoramiento jurídico: para un caso concreto, lea los textos oficiales y la "
                "legislación de su país.",
            ],
            "ar": [
                "تقدّم {site} دورات قصيرة عبر الإنترنت عن الأدلة الإلكترونية والتحقيق في الجرائم "
                "السيبرانية وضمانات حقوق الإنسان، موجّهة إلى أفراد الشرطة وأعضاء النيابة العامة "
                "والقضاة وخبراء الأدلة الجنائية، وإلى من يتولّون تدريبهم.",
                "يدرس كل متعلّم وفق وتيرته على الهاتف أو الحاسوب، ويستخدم المدرّبون الدورات "
                "نفسها في ورش العمل. ومن يُتمّ دورة يحصل على شهادة يمكن لأي شخص التحقق منها في "
                "صفحة التحقق.",
                "تشرح الدورات اتفاقية الأمم المتحدة لمكافحة الجرائم السيبرانية، التي اعتمدتها "
                "الجمعية العامة للأمم المتحدة في 24 كانون الأول/ديسمبر 2024، واتفاقية مجلس "
                "أوروبا بشأن الجرائم السيبرانية (اتفاقية بودابست). وهي مواد تدريبية وليست "
                "استشارة قانونية: في أي قضية بعينها، ارجع إلى النصوص الرسمية وإلى قانون بلدك.",
            ],
            "ru": [
                "{site} предлагает короткие онлайн-курсы об электронных доказательствах, "
                "расследовании киберпреступлений и гарантиях прав человека. Они написаны для "
                "сотрудников полиции, прокуроров, судей и экспертов-криминалистов, а также для "
                "тех, кто их обучает.",
                "Каждый учится в своём темпе, на телефоне или компьютере; преподаватели "
                "используют те же курсы на семинарах. Тот, кто завершил курс, получает "
                "сертификат, который любой может проверить на странице проверки.",
                "Курсы разъясняют Конвенцию ООН против киберпреступности, принятую Генеральной "
                "Ассамблеей ООН 24 декабря 2024 года, и Конвенцию Совета Европы о "
                "киберпреступности (Будапештскую конвенцию). Это учебные материалы, а не "
                "юридическая консультация: в конкретном деле обращайтесь к официальным текстам "
                "и законодательству своей страны.",
            ],
            "zh-hans": [
                "{site}提供关于电子证据、网络犯罪调查和人权保障的在线短期课程，面向警察、检察官、"
                "法官和取证人员，以及为他们提供培训的人员。",
                "学员可以在手机或电脑上按自己的节奏学习；培训师在研讨班中使用同样的课程。完成课程"
                "的学员将获得证书，任何人都可以在验证页面上核实。",
                "课程讲解联合国大会于2024年12月24日通过的《联合国打击网络犯罪公约》以及欧洲委员会"
                "《网络犯罪公约》（《布达佩斯公约》）。这些是培训材料，而非法律意见：处理具体案件时，"
                "请查阅官方文本和本国法律。",
            ],
            "pt": [
                "A {site} oferece cursos breves em linha sobre prova eletrónica, investigação "
                "da cibercriminalidade e salvaguardas de direitos humanos. Destinam-se a "
                "polícias, procuradores, juízes e peritos forenses, e a quem os forma.",
                "Cada pessoa estuda ao seu ritmo, no telemóvel ou no computador; os formadores "
                "usam os mesmos cursos em workshops. Quem conclui um curso recebe um "
                "certificado que qualquer pessoa pode confirmar na página de verificação.",
                "Os cursos explicam a Convenção das Nações Unidas contra a Cibercriminalidade, "
                "adotada pela Assembleia Geral das Nações Unidas em 24 de dezembro de 2024, e a "
                "Convenção do Conselho da Europa sobre o Cibercrime (Convenção de Budapeste). "
                "São material de formação, não aconselhamento jurídico: para um caso concreto, "
                "leia os textos oficiais e a lei do seu país.",
            ],
            "vi": [
                "{site} cung cấp các khóa học trực tuyến ngắn về chứng cứ điện tử, điều tra tội "
                "phạm mạng và các bảo đảm quyền con người, dành cho cảnh sát, kiểm sát viên, "
                "thẩm phán, cán bộ giám định và những người đào tạo họ.",
                "Học viên học theo nhịp độ của mình, trên điện thoại hoặc máy tính; giảng viên "
                "dùng chính các khóa học này trong hội thảo. Ai hoàn thành một khóa học sẽ nhận "
                "chứng chỉ mà bất kỳ ai cũng có thể kiểm tra trên trang xác minh.",
                "Các khóa học giải thích Công ước của Liên Hợp Quốc về chống tội phạm mạng, được "
                "Đại hội đồng Liên Hợp Quốc thông qua ngày 24 tháng 12 năm 2024, và Công ước của "
                "Hội đồng châu Âu về tội phạm mạng (Công ước Budapest). Đây là tài liệu đào tạo, "
                "không phải tư vấn pháp lý: với một vụ việc cụ thể, hãy đọc văn bản chính thức và "
                "pháp luật của nước mình.",
            ],
        },
    },
    InformationKind.CONTACT: {
        "slug": "contact",
        "title": {
            "en": "Contact",
            "fr": "Contact",
            "es": "Contacto",
            "ar": "اتصل بنا",
            "ru": "Контакты",
            "zh-hans": "联系我们",
            "pt": "Contacto",
            "vi": "Liên hệ",
        },
        "body": {
            "en": [
                "For questions about the courses, a workshop or a certificate, write to {email}.",
                "This is a demonstration site and this address is an example: nobody reads it. "
                "The organisation that runs the site replaces it with its own.",
                "To check whether a certificate is genuine, there is no need to write: use "
                "“Verify a certificate” at the bottom of every page.",
            ],
            "fr": [
                "Pour toute question sur les cours, un atelier ou un certificat, écrivez à "
                "{email}.",
                "Ce site est une démonstration et cette adresse est un exemple : personne ne la "
                "lit. L’organisation qui exploite le site la remplace par la sienne.",
                "Pour savoir si un certificat est authentique, inutile d’écrire : utilisez "
                "« Vérifier un certificat » en bas de chaque page.",
            ],
            "es": [
                "Para preguntas sobre los cursos, un taller o un certificado, escriba a {email}.",
                "Este sitio es una demostración y esta dirección es un ejemplo: nadie la lee. "
                "La organización que gestiona el sitio la sustituye por la suya.",
                "Para comprobar si un certificado es auténtico no hace falta escribir: use "
                "«Verificar un certificado» al pie de cada página.",
            ],
            "ar": [
                "للاستفسار عن الدورات أو ورشة عمل أو شهادة، راسلنا على {email}.",
                "هذا موقع تجريبي وهذا العنوان مجرد مثال لا يطّلع عليه أحد، وتستبدله الجهة التي "
                "تدير الموقع بعنوانها.",
                "للتحقق من صحة شهادة لا حاجة إلى المراسلة: استخدم «التحقق من شهادة» في أسفل كل "
                "صفحة.",
            ],
            "ru": [
                "С вопросами о курсах, семинаре или сертификате пишите на {email}.",
                "Это демонстрационный сайт, и этот адрес — лишь пример: его никто не читает. "
                "Организация, которая ведёт сайт, заменяет его своим.",
                "Чтобы проверить подлинность сертификата, писать не нужно: воспользуйтесь "
                "ссылкой «Проверить сертификат» внизу каждой страницы.",
            ],
            "zh-hans": [
                "如对课程、研讨班或证书有疑问，请发送电子邮件至 {email}。",
                "本网站为演示网站，此地址仅为示例，无人查看。运营本网站的机构会将其替换为自己的地址。",
                "如需核实证书真伪，无需来信：请使用每页底部的“验证证书”。",
            ],
            "pt": [
                "Para questões sobre os cursos, um workshop ou um certificado, escreva para "
                "{email}.",
                "Este é um sítio de demonstração e este endereço é um exemplo: ninguém o lê. "
                "A organização que gere o sítio substitui-o pelo seu.",
                "Para confirmar se um certificado é autêntico não é preciso escrever: use "
                "«Verificar um certificado» no fundo de cada página.",
            ],
            "vi": [
                "Mọi câu hỏi về khóa học, hội thảo hoặc chứng chỉ, xin gửi thư đến {email}.",
                "Đây là trang web trình diễn và địa chỉ này chỉ là ví dụ: không ai đọc thư gửi "
                "đến. Tổ chức vận hành trang web sẽ thay bằng địa chỉ của mình.",
                "Để kiểm tra một chứng chỉ có thật hay không, bạn không cần viết thư: hãy dùng "
                "“Xác minh chứng chỉ” ở cuối mỗi trang.",
            ],
        },
    },
    InformationKind.PRIVACY: {
        "slug": "privacy-notice",
        "title": {
            "en": "Privacy",
            "fr": "Confidentialité",
            "es": "Privacidad",
            "ar": "الخصوصية",
            "ru": "Конфиденциальность",
            "zh-hans": "隐私",
            "pt": "Privacidade",
            "vi": "Quyền riêng tư",
        },
        "body": {
            "en": [
                "In short: the site keeps what you need to learn and to hold a certificate — "
                "your account and profile, your progress, quiz results, exercises and "
                "certificates. It sets no advertising or tracking cookies.",
                "From your profile you can download everything it keeps about you, or delete "
                "your account, at any time. The full notice below says what is kept, why, who "
                "sees it and for how long.",
            ],
            "fr": [
                "En bref : le site conserve ce qu’il faut pour apprendre et détenir un "
                "certificat — votre compte et votre profil, votre progression, vos résultats "
                "aux quiz, vos exercices et vos certificats. Il ne dépose aucun cookie "
                "publicitaire ni de suivi.",
                "Depuis votre profil, vous pouvez à tout moment télécharger tout ce qu’il "
                "conserve sur vous, ou supprimer votre compte. La notice complète ci-dessous "
                "indique ce qui est conservé, pourquoi, qui le voit et pendant combien de temps.",
            ],
            "es": [
                "En resumen: el sitio guarda lo necesario para aprender y tener un certificado: "
                "su cuenta y su perfil, su progreso, sus resultados en los cuestionarios, sus "
                "ejercicios y sus certificados. No usa cookies de publicidad ni de seguimiento.",
                "Desde su perfil puede descargar en cualquier momento todo lo que guarda sobre "
                "usted, o eliminar su cuenta. El aviso completo que sigue explica qué se guarda, "
                "por qué, quién lo ve y durante cuánto tiempo.",
            ],
            "ar": [
                "باختصار: يحتفظ الموقع بما تحتاج إليه للتعلّم وللحصول على شهادة، أي حسابك وملفك "
                "الشخصي وتقدّمك ونتائج اختباراتك وتمارينك وشهاداتك. ولا يستخدم ملفات تعريف "
                "ارتباط للإعلانات أو للتتبّع.",
                "يمكنك في أي وقت، من ملفك الشخصي، تنزيل كل ما يحتفظ به الموقع عنك أو حذف حسابك. "
                "ويبيّن الإشعار الكامل أدناه ما يُحتفظ به ولماذا ومن يطّلع عليه وإلى متى.",
            ],
            "ru": [
                "Коротко: сайт хранит то, что нужно для обучения и получения сертификата, — "
                "вашу учётную запись и профиль, прогресс, результаты тестов, упражнения и "
                "сертификаты. Он не использует рекламные и отслеживающие файлы cookie.",
                "В своём профиле вы в любой момент можете скачать всё, что сайт хранит о вас, "
                "или удалить учётную запись. Полное уведомление ниже объясняет, что хранится, "
                "зачем, кто это видит и как долго.",
            ],
            "zh-hans": [
                "简而言之：本网站只保存您学习和持有证书所需的信息，即您的账户和个人资料、学习进度、"
                "测验成绩、练习和证书。本网站不使用广告或跟踪 Cookie。",
                "您可以随时在个人资料页面下载本网站保存的关于您的全部信息，或删除您的账户。下面的"
                "完整声明说明保存哪些信息、为何保存、谁能看到以及保存多久。",
            ],
            "pt": [
                "Em resumo: o sítio guarda o que é preciso para aprender e ter um certificado — "
                "a sua conta e o seu perfil, o seu progresso, os resultados dos testes, os "
                "exercícios e os certificados. Não usa cookies de publicidade nem de "
                "rastreamento.",
                "A partir do seu perfil pode, a qualquer momento, descarregar tudo o que o sítio "
                "guarda sobre si, ou eliminar a sua conta. O aviso completo abaixo diz o que é "
                "guardado, porquê, quem o vê e durante quanto tempo.",
            ],
            "vi": [
                "Tóm lại: trang web chỉ lưu những gì bạn cần để học và nhận chứng chỉ — tài "
                "khoản và hồ sơ, tiến độ học, kết quả bài kiểm tra, bài tập và chứng chỉ của bạn. "
                "Trang web không dùng cookie quảng cáo hay theo dõi.",
                "Từ trang hồ sơ, bạn có thể tải về mọi dữ liệu trang web lưu về bạn, hoặc xóa "
                "tài khoản, bất cứ lúc nào. Thông báo đầy đủ dưới đây cho biết dữ liệu nào được "
                "lưu, vì sao, ai xem được và trong bao lâu.",
            ],
        },
    },
    InformationKind.TERMS: {
        "slug": "terms",
        "title": {
            "en": "Terms of use",
            "fr": "Conditions d’utilisation",
            "es": "Condiciones de uso",
            "ar": "شروط الاستخدام",
            "ru": "Условия использования",
            "zh-hans": "使用条款",
            "pt": "Termos de utilização",
            "vi": "Điều khoản sử dụng",
        },
        "body": {
            "en": [
                "The courses are training material. They explain the law in general terms and "
                "are not legal advice for a particular case: check the official texts and the "
                "law of your country.",
                "Your account is yours alone: keep your password to yourself, and give your "
                "name as it should appear on your certificates. A certificate records that you "
                "completed a course on this site; it is not a professional licence or an "
                "academic degree.",
                "In exercises and workshops, do not enter personal data about real suspects, "
                "victims or witnesses: use invented or anonymised cases.",
            ],
            "fr": [
                "Les cours sont des supports de formation. Ils présentent le droit en termes "
                "généraux et ne sont pas un conseil juridique pour un cas particulier : "
                "vérifiez les textes officiels et le droit de votre pays.",
                "Votre compte n’appartient qu’à vous : gardez votre mot de passe pour vous et "
                "indiquez votre nom tel qu’il doit figurer sur vos certificats. Un certificat "
                "atteste que vous avez terminé un cours sur ce site ; ce n’est ni une "
                "habilitation professionnelle ni un diplôme.",
                "Dans les exercices et les ateliers, ne saisissez pas de données personnelles "
                "sur de vrais suspects, victimes ou témoins : utilisez des cas inventés ou "
                "anonymisés.",
            ],
            "es": [
                "Los cursos son material de formación. Explican el derecho en términos "
                "generales y no son asesoramiento jurídico para un caso concreto: consulte los "
                "textos oficiales y la legislación de su país.",
                "Su cuenta es solo suya: no comparta su contraseña e indique su nombre tal como "
                "debe figurar en sus certificados. Un certificado acredita que completó un curso "
                "en este sitio; no es una habilitación profesional ni un título académico.",
                "En los ejercicios y talleres, no introduzca datos personales de sospechosos, "
                "víctimas o testigos reales: use casos inventados o anonimizados.",
            ],
            "ar": [
                "الدورات مواد تدريبية تشرح القانون بعبارات عامة، وليست استشارة قانونية في قضية "
                "بعينها: ارجع إلى النصوص الرسمية وإلى قانون بلدك.",
                "حسابك لك وحدك: احتفظ بكلمة المرور لنفسك، واكتب اسمك كما يجب أن يظهر على شهاداتك. "
                "والشهادة تُثبت أنك أتممت دورة على هذا الموقع، وليست ترخيصًا مهنيًا ولا درجة "
                "علمية.",
                "لا تُدخل في التمارين وورش العمل بيانات شخصية عن مشتبه بهم أو ضحايا أو شهود "
                "حقيقيين: استخدم حالات مُتخيَّلة أو مجهولة الهوية.",
            ],
            "ru": [
                "Курсы — это учебные материалы. Они излагают право в общих чертах и не являются "
                "юридической консультацией по конкретному делу: сверяйтесь с официальными "
                "текстами и законодательством своей страны.",
                "Учётная запись принадлежит только вам: никому не сообщайте пароль и укажите имя "
                "так, как оно должно быть напечатано в сертификатах. Сертификат подтверждает, "
                "что вы прошли курс на этом сайте; это не профессиональная лицензия и не "
                "учёная степень.",
                "В упражнениях и на семинарах не вводите персональные данные реальных "
                "подозреваемых, потерпевших или свидетелей: используйте вымышленные или "
                "обезличенные случаи.",
            ],
            "zh-hans": [
                "课程是培训材料，只对法律作一般性说明，不构成针对具体案件的法律意见：请核对官方"
                "文本和本国法律。",
                "账户仅供您本人使用：请勿向他人透露密码，并按应印在证书上的样子填写您的姓名。证书"
                "证明您在本网站完成了一门课程，并非职业执照或学位。",
                "在练习和研讨班中，请勿输入真实嫌疑人、被害人或证人的个人数据：请使用虚构或匿名"
                "处理的案例。",
            ],
            "pt": [
                "Os cursos são material de formação. Explicam o direito em termos gerais e não "
                "são aconselhamento jurídico para um caso concreto: consulte os textos oficiais "
                "e a lei do seu país.",
                "A sua conta é só sua: não partilhe a palavra-passe e indique o seu nome tal "
                "como deve constar dos certificados. Um certificado atesta que concluiu um curso "
                "neste sítio; não é uma habilitação profissional nem um grau académico.",
                "Nos exercícios e workshops, não introduza dados pessoais de suspeitos, vítimas "
                "ou testemunhas reais: use casos inventados ou anonimizados.",
            ],
            "vi": [
                "Các khóa học là tài liệu đào tạo. Chúng trình bày pháp luật ở mức khái quát và "
                "không phải là tư vấn pháp lý cho một vụ việc cụ thể: hãy đối chiếu văn bản "
                "chính thức và pháp luật của nước mình.",
                "Tài khoản chỉ dành riêng cho bạn: không chia sẻ mật khẩu và ghi tên đúng như "
                "tên cần in trên chứng chỉ. Chứng chỉ xác nhận bạn đã hoàn thành một khóa học "
                "trên trang web này; đó không phải giấy phép hành nghề hay học vị.",
                "Trong bài tập và hội thảo, không nhập dữ liệu cá nhân của nghi phạm, nạn nhân "
                "hay nhân chứng thật: hãy dùng các tình huống hư cấu hoặc đã ẩn danh.",
            ],
        },
    },
}


def paragraphs_html(kind, language, link=True):
    """The body of one page in one language as rich text: one <p> per paragraph."""
    with override(language):
        site = brand.site_name()
    address = (
        f'<a href="mailto:{DEMO_EMAIL}">{DEMO_EMAIL}</a>'
        if link
        else f'<a id="a1">{DEMO_EMAIL}</a>'  # as wagtail-localize names the link's text
    )
    return "".join(
        "<p>" + escape(text).replace("{site}", escape(site)).replace("{email}", address) + "</p>"
        for text in PAGES[kind]["body"][language]
    )


def segments(kind, language):
    """The body's strings as wagtail-localize offers them to translators."""
    _template, strings = extract_strings(paragraphs_html(kind, language))
    return [string.data for string, _attrs in strings]


def lookup_for(kind, language):
    """{English string: its translation} for one page, title and body."""
    source = settings.LANGUAGE_CODE
    found = {PAGES[kind]["title"][source]: PAGES[kind]["title"][language]}
    found.update(zip(segments(kind, source), segments(kind, language), strict=True))
    return found


def ensure_information_pages(home, locales, add_page, translate_with, created):
    """About, Contact, Privacy and Terms under the home page, translated into every language:
    each created only when that language has no page of that kind yet."""
    source = settings.LANGUAGE_CODE
    for kind, data in PAGES.items():
        page = InformationPage.objects.filter(locale=home.locale, kind=kind).first()
        if page is None:
            page = add_page(
                home,
                InformationPage(
                    title=data["title"][source],
                    slug=data["slug"],
                    kind=kind,
                    body=paragraphs_html(kind, source),
                ),
                created,
            )
        for code, _name in settings.LANGUAGES:
            if (
                code == source
                or InformationPage.objects.filter(locale=locales[code], kind=kind).exists()
            ):
                continue
            translate_with(page, locales[code], lookup_for(kind, code))
            created.append(f"{code} {kind} page")
