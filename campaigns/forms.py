"""Forms of the campaigns pages; views hand their cleaned data to one service each."""

from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import Department

from .choices import ComplaintKind, KeyDate, TaskStatus, Venue


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ComplaintForm(forms.Form):
    """The public complaint form (诚信建设投诉举报); no account needed."""

    kind = forms.ChoiceField(label=_("投诉类别"), choices=ComplaintKind.choices)
    accused_name = forms.CharField(label=_("被投诉对象名称"), max_length=200)
    accused_uscc = forms.CharField(
        label=_("被投诉对象统一社会信用代码"), max_length=18, required=False, help_text=_("知道的可填写，便于核查")
    )
    facts = forms.CharField(label=_("投诉事项"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    evidence = MultipleFileField(
        label=_("证据材料"), required=False, help_text=_("可上传 PDF、JPG、PNG 文件，最多 5 个")
    )
    is_anonymous = forms.BooleanField(
        label=_("匿名投诉"), required=False, help_text=_("匿名投诉不保留姓名；可留电话以便回访")
    )
    contact_name = forms.CharField(label=_("投诉人姓名"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("电子邮箱"), required=False)

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if len(files) > 5:
            raise forms.ValidationError(_("最多上传 5 个文件。"), code="too_many_files")
        return files

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_anonymous") and not (cleaned.get("contact_phone") or cleaned.get("contact_email")):
            self.add_error(
                "contact_phone",
                forms.ValidationError(_("请留下联系电话或电子邮箱，或选择匿名投诉。"), code="contact_required"),
            )
        return cleaned


class TrackingForm(forms.Form):
    number = forms.CharField(label=_("查询编号"), max_length=24)


class TaskReportForm(forms.Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 5}))
    status = forms.ChoiceField(label=_("任务状态"), choices=TaskStatus.choices)


class ActionReportForm(forms.Form):
    period = forms.DateField(label=_("报送月份"), widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("工作进展"), widget=forms.Textarea(attrs={"rows": 6}))
    attachment = forms.FileField(label=_("附件"), required=False)


class AssignComplaintForm(forms.Form):
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Department.objects.active())


class AnswerComplaintForm(forms.Form):
    answer = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 5}))


class RejectComplaintForm(forms.Form):
    reason = forms.CharField(label=_("不予受理理由"), widget=forms.Textarea(attrs={"rows": 3}))


class MonthForm(forms.Form):
    month = forms.CharField(label=_("月份"), required=False, widget=forms.TextInput(attrs={"type": "month"}))


class CampaignForm(forms.Form):
    """A new campaign (draft); the organiser is the clerk's own department."""

    title = forms.CharField(label=_("活动名称"), max_length=200)
    theme = forms.CharField(label=_("主题"), max_length=200, required=False)
    key_date = forms.ChoiceField(label=_("重要节点"), choices=KeyDate.choices, initial=KeyDate.OTHER)
    start_date = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))
    venues = forms.MultipleChoiceField(
        label=_("宣传阵地"), choices=Venue.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    channels = forms.CharField(label=_("宣传渠道"), max_length=300, required=False)
    summary = forms.CharField(label=_("活动简介"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    participating_departments = forms.ModelMultipleChoiceField(
        label=_("参与单位"), queryset=Department.objects.active(), required=False
    )

    def __init__(self, *args, organiser_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organiser_choices is not None:  # the office chooses the organiser; a clerk organises for their own
            self.fields["organiser"] = forms.ModelChoiceField(label=_("组织单位"), queryset=organiser_choices)
