"""Quick order: paste "article quantity" lines or upload a spreadsheet; a report per line."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from optovik.core.errors import ApplicationError
from optovik.customers.permissions import Perm
from optovik.ordering.services import quick_order as quick

from ..access import portal_view
from ..forms import BootstrapFormMixin, form_add_service_error
from .cart import current_cart


class QuickOrderForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Lines «article quantity»"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "placeholder": "A-1001 12\nB-2002;5\n"}),
        help_text=gettext_lazy("One product a line: tabs, spaces, semicolons or commas between; 1,5 or 1.5."),
    )
    file = forms.FileField(
        label=gettext_lazy("Or a file"),
        required=False,
        help_text=gettext_lazy(".xlsx, .xls, .ods or .csv with «Article» and «Quantity» columns; up to 1,000 lines."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(gettext_lazy("Paste the lines or choose a file."))
        return data


@portal_view(Perm.PLACE_ORDERS)
def quick_order(request):
    form = QuickOrderForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            if upload is not None:
                if upload.size > quick.MAX_FILE_BYTES:
                    raise ApplicationError(
                        _("The file is too large: at most %(mb)s MB.") % {"mb": quick.MAX_FILE_BYTES // 2**20},
                        field="file",
                    )
                rows = quick.quick_order_parse_file(name=upload.name, data=upload.read())
            else:
                rows = quick.quick_order_parse_text(form.cleaned_data["text"])
            cart = current_cart(request, create=True)
            report = quick.quick_order_add(cart=cart, rows=rows)
        except ApplicationError as e:
            form_add_service_error(form, e)
    return render(request, "portal/cart/quick_order.html", {"form": form, "report": report})
