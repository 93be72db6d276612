"""The clauses of the board-approved beneficiary relations policy that the
evidence report quotes, in the policy's own Arabic and in English.

The Arabic is the policy's text as approved (board meeting 7, 14/6/1445 H,
27/12/2023), quoted word for word: it is not a translation and does not go
through the PO files. The English is the translation of each clause for the
English version of the report (the policy exists only in Arabic).
"""

APPROVAL_AR = (
    "اطلع مجلس إدارة جمعية اصلاح ذات البين في اجتماعه رقم ٧ يوم الأربعاء "
    "بتاريخ ١٤٤٥/٦/١٤ هـ الموافق ٢٠٢٣/١٢/٢٧ م على سياسة تنظيم العلاقة مع "
    "المستفيدين وقرر اعتمادها والعمل بموجبها ونشرها على الموقع الالكتروني للجمعية."
)
APPROVAL_EN = (
    "The Board of Directors of Islah Dhat al-Bayn Association, at its meeting "
    "No. 7 on Wednesday 14/6/1445 H (27/12/2023), reviewed the beneficiary "
    "relations policy and resolved to approve it, to act on it and to publish it "
    "on the association's website."
)

# key -> (Arabic clause, English translation); the figures name their clause
CLAUSES = {
    "channels": (
        "القنوات المستخدمة للتواصل مع المستفيدين: ١. المقابلة ٢. الاتصالات الهاتفية "
        "٣. وسائل التواصل الاجتماعي ٤. الخطابات ٥. خدمات طلب المساعدة ٦. خدمة التطوع "
        "٧. الموقع الإلكتروني للجمعية",
        "The channels used to communicate with beneficiaries: 1. the interview "
        "2. phone calls 3. social media 4. letters 5. help-request services "
        "6. the volunteering service 7. the association's website",
    ),
    "verification": (
        "٢. التأكد من تقديم المراجع كافة المعلومات المطلوبة ، وعلى الموظف مطابقة "
        "البيانات والتأكد من صلاحيتها وقت التقديم",
        "2. Make sure the applicant provides all the required information; the "
        "officer matches the data and checks its validity at the time of submission",
    ),
    "declaration": (
        "٤. التأكد على صحة البيانات المقدمة من طالب الدعم والتوجيه إليها وأنه مسؤول "
        "مسئولية مباشرة عن صحة المعلومات",
        "4. Stress to the applicant the correctness of the data submitted, and that "
        "they are directly responsible for the correctness of the information",
    ),
    "committee": (
        "5. التوضيح للمستفيد بأن طلبه سيرفع للجنة البحث لدراسة طلبه والرد عليه بشأن "
        "قبوله أو رفضه خلال مدة لا تقل عن أسبوعين.",
        "5. Explain to the beneficiary that the request will be referred to the "
        "Research Committee, which studies it and answers whether it is accepted or "
        "rejected within a period of two weeks.",
    ),
    "satisfaction": (
        "التركيز على عملية قياس رضا المستفيد كوسيلة لرفع جودة الخدمة المقدمة "
        "والتحسين المستمر لإجراء تقديم خدمة وأداء مقدم الخدمة",
        "Focus on measuring beneficiary satisfaction as a means of raising the "
        "quality of the service and continuously improving how the service is "
        "delivered and how its provider performs",
    ),
    "answers": (
        "تقديم المعلومات والإجابات بشكل ملائم بما يتناسب مع تساؤلات المستفيدين "
        "واستفساراتهم من خلال عدة قنوات",
        "Give information and answers suited to the beneficiaries' questions and "
        "enquiries, through several channels",
    ),
    "improvement": (
        "٥. ابتكار مفاهيم وتقنيات إدارية للارتقاء بمستوى ونوعية الخدمات المقدمة "
        "للمستفيد ومحاولة القضاء على معوقات تقديم خدمات ذات جودة عالية وذلك من خلال "
        "التطوير والتحسين المستمر للخدمات المقدمة للمستفيد من خلال تلمس أراء المستفيدين",
        "5. Devise management concepts and techniques to raise the level and quality "
        "of the services offered to the beneficiary and remove the obstacles to "
        "high-quality services, through the continuous development and improvement "
        "of these services by listening to the beneficiaries' opinions",
    ),
    "rights": (
        "وتركز جمعية اصلاح ذات البين على صيغة العلاقات مع المستفيدين ، وتضع لها "
        "أولوية من خلال وضع آلية لتنظيم هذه العلاقة . مع مراجعتها باستمرار والتعديل "
        "عليها بما يكفل حقوق المستفيد .",
        "Islah Dhat al-Bayn Association focuses on the form of its relations with "
        "beneficiaries and gives it priority by setting a mechanism that organises "
        "this relation, reviewed and amended continuously so as to guarantee the "
        "beneficiary's rights.",
    ),
}

# the order in which the report prints the clauses
CLAUSE_ORDER = (
    "channels",
    "verification",
    "declaration",
    "committee",
    "satisfaction",
    "answers",
    "improvement",
    "rights",
)


def clause_text(key, lang):
    """The clause ``key`` as the report prints it in ``lang``: the policy's
    Arabic for an Arabic report, else its English translation."""
    arabic, english = CLAUSES[key]
    return arabic if (lang or "").startswith("ar") else english


def approval_text(lang):
    return APPROVAL_AR if (lang or "").startswith("ar") else APPROVAL_EN


def format_share(numerator, denominator):
    """A share as the report prints it: ``"75.0%"``, or None when the
    denominator is zero (no case to measure)."""
    if not denominator:
        return None
    return f"{100.0 * numerator / denominator:.1f}%"
