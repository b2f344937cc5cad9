from django import forms


class ApplicantForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=60)
    id_number = forms.CharField(label="身份证号", max_length=18)
    phone = forms.CharField(label="手机号码", max_length=20)
    email = forms.EmailField(label="电子邮箱（可选）", required=False)


class LookupForm(forms.Form):
    number = forms.CharField(label="办件编号", max_length=20)
    code = forms.CharField(label="查询码", max_length=12)
