# UI strings of the default theme, in Arabic (ar, right-to-left).
# Same keys and variables as en.ftl. CLDR plurals for ar: zero, one, two, few, many, other.

skip-to-content = انتقل إلى المحتوى
site-navigation = الموقع
main-menu = الأقسام
breadcrumbs = أنت هنا
home = الرئيسية
section-navigation = في هذا القسم
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
sections-count = { $count ->
    [zero] لا توجد أقسام
    [one] قسم واحد
    [two] قسمان
    [few] { $count } أقسام
    [many] { $count } قسمًا
   *[other] { $count } قسم
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
all-tags = جميع الوسوم
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
latest-pages = أحدث الصفحات
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
footnotes = حواشٍ
facilitator-notes = ملاحظات للميسِّر
