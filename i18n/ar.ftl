# UI strings of the default theme, in Arabic (ar, right-to-left).
# Same keys and variables as en.ftl. CLDR plurals for ar: zero, one, two, few, many, other.

skip-to-content = انتقل إلى المحتوى
main-menu = الأقسام
breadcrumbs = أنت هنا
home = الرئيسية
section-navigation = في هذا القسم

section-nav-before = { $count ->
    [zero] لا صفحات سابقة
    [one] صفحة سابقة واحدة
    [two] صفحتان سابقتان
    [few] { $count } صفحات سابقة
    [many] { $count } صفحةً سابقةً
   *[other] { $count } صفحة سابقة
}
section-nav-after = { $count ->
    [zero] لا صفحات لاحقة
    [one] صفحة لاحقة واحدة
    [two] صفحتان لاحقتان
    [few] { $count } صفحات لاحقة
    [many] { $count } صفحةً لاحقةً
   *[other] { $count } صفحة لاحقة
}
section-nav-all = { $count ->
    [zero] لا صفحات في هذا القسم
    [one] صفحة هذا القسم الوحيدة
    [two] صفحتا هذا القسم
    [few] جميع صفحات هذا القسم ({ $count } صفحات)
    [many] جميع صفحات هذا القسم ({ $count } صفحةً)
   *[other] جميع صفحات هذا القسم ({ $count } صفحة)
}

table-of-contents = في هذه الصفحة
language-switcher = هذه الصفحة بلغات أخرى
untranslated-languages = لم تُترجَم بعدُ إلى
choose-language = اختر لغتك
choose-language-hint = هذا الموقع مكتوب بعدة لغات. اختر واحدة منها؛ اختيارك مجرد رابط، ولا يُحفَظ أي شيء.
all-languages = جميع اللغات

# Shown above a page whose translation is missing.
not-translated = لم تُترجَم هذه الصفحة بعدُ إلى { $language }، لذا تُعرض بلغة { $shown }.
translate-this-page = ترجم هذه الصفحة
edit-this-page = حرّر هذه الصفحة
original-of-page = اقرأ النص الأصلي ({ $language })

pages-count = { $count ->
    [zero] لا توجد صفحات
    [one] صفحة واحدة
    [two] صفحتان
    [few] { $count } صفحات
    [many] { $count } صفحةً
   *[other] { $count } صفحة
}
reading-time = { $minutes ->
    [zero] مدة القراءة: أقل من دقيقة
    [one] مدة القراءة: دقيقة واحدة
    [two] مدة القراءة: دقيقتان
    [few] مدة القراءة: { $minutes } دقائق
    [many] مدة القراءة: { $minutes } دقيقةً
   *[other] مدة القراءة: { $minutes } دقيقة
}
published = نُشر في { $date }
updated = حُدِّث في { $date }
draft = مسودة: غير منشورة
in-this-section = صفحات هذا القسم
subsections = الأقسام الفرعية
tags = الوسوم
tagged = موسوم بـ«{ $term }»
taxonomy-terms = { $count ->
    [zero] لا توجد مصطلحات
    [one] مصطلح واحد
    [two] مصطلحان
    [few] { $count } مصطلحات
    [many] { $count } مصطلحًا
   *[other] { $count } مصطلح
}

page-not-found = الصفحة غير موجودة
page-not-found-text = الصفحة التي طلبتها ليست هنا. ربما نُقلت، أو ربما كان الرابط خاطئًا.
go-home = اذهب إلى الصفحة الرئيسية
feed = موجز Atom لهذه اللغة
site-footer = معلومات الموقع
footer-text = أعدّته شبكة من مزوّدي خدمة الإنترنت التعاونيين. لا متتبّعات ولا أطراف ثالثة: لم تحمّل هذه الصفحة أي شيء من أي مكان آخر.
redirecting = نُقلت هذه الصفحة. اذهب إلى { $title }.

mirrors = النسخ المطابقة
mirrors-intro = { $count ->
    [zero] لا توجد نسخ أخرى من هذا الموقع.
    [one] إذا كان هذا الموقع بطيئًا أو محجوبًا حيث أنت، فاقرأ هذه الصفحة على النسخة الأخرى من الشبكة:
    [two] إذا كان هذا الموقع بطيئًا أو محجوبًا حيث أنت، فاقرأ هذه الصفحة على إحدى النسختين اللتين تحتفظ بهما الشبكة:
    [few] إذا كان هذا الموقع بطيئًا أو محجوبًا حيث أنت، فاقرأ هذه الصفحة على إحدى { $count } نسخ يحتفظ بها أعضاء الشبكة:
    [many] إذا كان هذا الموقع بطيئًا أو محجوبًا حيث أنت، فاقرأ هذه الصفحة على إحدى { $count } نسخةً يحتفظ بها أعضاء الشبكة:
   *[other] إذا كان هذا الموقع بطيئًا أو محجوبًا حيث أنت، فاقرأ هذه الصفحة على إحدى { $count } نسخة يحتفظ بها أعضاء الشبكة:
}

# GitHub-style alerts in Markdown: > [!NOTE]
alert-note = ملاحظة
alert-tip = نصيحة
alert-important = مهم
alert-warning = تحذير
alert-caution = تنبيه
facilitator-notes = ملاحظات للميسِّر

# البحث
search-title = البحث
search-label = ابحث في هذا الموقع
search-placeholder = ابحث…
search-button = ابحث
search-results = { $count ->
    [zero] لم يُعثر على أي صفحة
    [one] عُثر على صفحة واحدة
    [two] عُثر على صفحتين
    [few] عُثر على { $count } صفحات
    [many] عُثر على { $count } صفحة
   *[other] عُثر على { $count } صفحة
}
search-no-results = لا توجد صفحة تطابق «{ $query }».
search-any-word = لا توجد صفحة تضم كل الكلمات؛ هذه الصفحات تضم بعضها.
search-closest-words = بعض الكلمات غير موجودة في أي صفحة كما كُتبت: هذه الصفحات تضم أقرب الكلمات إليها.
search-missing-part = تعذّر تحميل جزء من فهرس البحث من هذه النسخة من الموقع، لذا قد تنقص بعض النتائج.
search-more = مزيد من النتائج
search-loading = جارٍ البحث…
search-failed = لا يمكن تشغيل البحث هنا. تصفّح الأقسام بدلًا من ذلك.
search-needs-js = يحتاج البحث إلى جافاسكربت، وهي معطّلة أو غير مدعومة هنا. يمكن الوصول إلى كل صفحة أيضًا من الأقسام:

# حداثة الترجمات.
translation-outdated = حُدِّث النص الأصلي لهذه الصفحة بعد إعداد هذه الترجمة.
translation-status = حالة الترجمات
translations-title = حالة الترجمات
translations-intro = ما يمكن قراءته من هذا الموقع باللغة { $language }، وأين يمكن للمترجمين والمترجمات المساعدة: أولًا الترجمات التي يجب تحديثها وفق النص الأصلي، ثم الصفحات التي لم تُترجَم بعد. كل صفحة ملف Markdown في مستودع الموقع.
translations-complete = اكتمل منها { $percent }٪، محسوبًا بعدد الكلمات.
translation-state-outdated = قديمة: تغيّر النص الأصلي بعد ترجمتها
translation-state-missing = لم تُترجَم بعد
translation-state-unknown = حالة غير معروفة: لا سجلّ للنسخة التي تُرجمت
translation-state-up-to-date = محدَّثة
translation-state-original = مكتوبة بهذه اللغة
words-count = { $count ->
    [zero] لا كلمات
    [one] كلمة واحدة
    [two] كلمتان
    [few] { $count } كلمات
    [many] { $count } كلمةً
   *[other] { $count } كلمة
}
change-added = أُضيف
change-removed = حُذف
change-edited = عُدِّل
change-start = بداية الصفحة (العنوان والملخّص والمقدّمة)
changes-unknown = لا يُعرف ما الذي تغيّر: النسخة المترجمة غير موجودة في سجلّ المستودع.
translation-draft = توجد مسودة قيد الإعداد: { $file }
translation-start = لبدء الترجمة:
translation-mark-current = بعد أن تطابق الترجمة النص الأصلي من جديد:
# القراءة دون اتصال: الحزم، وعامل الخدمة، وحزم الورش.
offline-download = نزّل هذه اللغة للقراءة دون اتصال (ZIP، { $size })
offline-outside = ليست في هذه النسخة المحفوظة
offline-keep = احفظ هذه اللغة للقراءة دون اتصال
offline-keep-progress = جارٍ الحفظ للقراءة دون اتصال: { $done } من { $total } ملفًا…
offline-kept = هذه اللغة محفوظة على هذا الجهاز للقراءة دون اتصال.
offline-keep-failed = تعذّر الحفظ. حاول مجددًا حين يتحسّن الاتصال.
offline-copy = أنت غير متصل: هذه نسخة محفوظة على هذا الجهاز.
pack-downloads = خذ هذه الورشة معك دون اتصال
pack-downloads-text = تضم كل حزمة موقعًا صغيرًا للورشة يعمل دون اتصال، ونسخة للطباعة، وكتابًا إلكترونيًا، ومصادر Markdown. فكّ ضغطها وافتح index.html: لا شيء فيها يحتاج إلى الإنترنت.
pack-download-facilitators = حزمة الميسّرين، مع ملاحظاتهم (ZIP، { $size })
pack-download-participants = حزمة المشاركين، دون ملاحظات التيسير (ZIP، { $size })
pack-outside = ليست في هذه الحزمة
pack-agenda = جدول الأعمال
pack-about = عن هذه الورشة
pack-audience = الجمهور
pack-materials = المواد
pack-objectives = الأهداف
pack-duration = المدة
pack-module = الوحدة
pack-total = المدة الإجمالية: { $duration }
pack-modules-add-up = مجموع مدد الوحدات { $duration }.
pack-no-duration = لم تُحدَّد مدة
pack-shown-in = باللغة { $language }
pack-print = نسخة للطباعة
pack-epub = كتاب إلكتروني (EPUB)
pack-pdf = PDF
pack-sources = مصادر Markdown
pack-in-this-pack = في هذه الحزمة
pack-previous = السابق
pack-next = التالي
pack-made-from = حزمة ورشة من { $site }.
pack-participants = نسخة المشاركين: لا تتضمن ملاحظات التيسير.
pack-contents = المحتويات
pack-search = ابحث في هذه الحزمة
duration-minutes = { $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتان
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}
duration-hours = { $hours ->
    [one] ساعة واحدة
    [two] ساعتان
    [few] { $hours } ساعات
   *[other] { $hours } ساعة
}
duration-hours-minutes = { $hours ->
    [one] ساعة
    [two] ساعتان
    [few] { $hours } ساعات
   *[other] { $hours } ساعة
} و{ $minutes ->
    [one] دقيقة واحدة
    [two] دقيقتان
    [few] { $minutes } دقائق
   *[other] { $minutes } دقيقة
}
