"""A small catalog for tests, built through the services the application uses."""

from decimal import Decimal

from optovik.catalog import services
from optovik.catalog.models import Attribute, AttributeOption, Brand, Unit, VatRate
from optovik.inventory.models import Warehouse
from optovik.inventory.services import stock_set
from optovik.pricing.models import Price, PriceType


def reference():
    vat22, _ = VatRate.objects.get_or_create(code="vat22", defaults={"name": "НДС 22 %", "rate": Decimal(22)})
    vat10, _ = VatRate.objects.get_or_create(code="vat10", defaults={"name": "НДС 10 %", "rate": Decimal(10)})
    novat, _ = VatRate.objects.get_or_create(code="novat", defaults={"name": "Без НДС", "is_exempt": True})
    unit, _ = Unit.objects.get_or_create(okei_code="796", defaults={"name": "шт"})
    return {"vat22": vat22, "vat10": vat10, "novat": novat, "unit": unit}


def product(article, name, category, *, ref=None, description="", brand=None, **fields):
    ref = ref or reference()
    return services.product_create(
        article=article,
        name=name,
        category=category,
        unit=ref["unit"],
        vat_rate=fields.pop("vat_rate", ref["vat22"]),
        description=description,
        brand=Brand.objects.get_or_create(name=brand)[0] if brand else None,
        **fields,
    )


def price_type(code="retail", *, default=True, vat_included=True):
    pt, _ = PriceType.objects.get_or_create(
        code=code, defaults={"name": code.title(), "is_default": default, "vat_included": vat_included}
    )
    return pt


def set_price(product, pt, amount):
    Price.objects.update_or_create(product=product, price_type=pt, defaults={"price": Decimal(str(amount))})


def attribute(code, kind, *, options=(), unit=""):
    attr, _ = Attribute.objects.get_or_create(code=code, defaults={"name": code.title(), "kind": kind, "unit": unit})
    for i, value in enumerate(options):
        AttributeOption.objects.get_or_create(attribute=attr, value=value, defaults={"sort_order": i})
    return attr


def warehouse(code="msk", *, pickup=True, active=True, sort=0):
    wh, _ = Warehouse.objects.get_or_create(
        code=code, defaults={"name": code.upper(), "is_pickup_point": pickup, "is_active": active, "sort_order": sort}
    )
    return wh


def stock(product, wh, on_hand, reserved=0):
    stock_set(product_id=product.pk, warehouse_id=wh.pk, on_hand=Decimal(on_hand), reserved=Decimal(reserved))


class Shop:
    """Cement and tyres: root categories, a subcategory, prices, stock and attributes."""

    def __init__(self):
        self.ref = reference()
        self.retail = price_type("retail", default=True)
        self.wholesale = price_type("wholesale", default=False)
        self.building = services.category_create(name="Стройматериалы")
        self.cement_cat = services.category_create(name="Цемент", parent=self.building)
        self.tyres = services.category_create(name="Шины")
        self.grade = attribute("grade", "enum", options=("М400", "М500"))
        self.weight = attribute("weight", "number", unit="кг")
        self.season = attribute("season", "enum", options=("Летние", "Зимние"))
        self.studded = attribute("studded", "boolean")
        self.wh = warehouse("msk")
        self.cement = product(
            "CEM-500-50",
            "Цемент М500 Д0 Евроцемент, 50 кг",
            self.cement_cat,
            ref=self.ref,
            brand="Евроцемент",
            description="<p>Портландцемент для <b>бетонов</b> и растворов</p>",
        )
        self.cement400 = product("CEM-400-25", "Цемент М400, 25 кг", self.cement_cat, ref=self.ref)
        self.plaster = product("MIX-ROT-30", "Штукатурка Knauf Ротбанд, 30 кг", self.building, ref=self.ref)
        self.tyre_summer = product("TYR-205-55", "Шина Nokian Hakka Green 3 205/55 R16", self.tyres, ref=self.ref)
        self.tyre_winter = product("TYR-205-55W", "Шина Nokian Hakkapeliitta 10 205/55 R16", self.tyres, ref=self.ref)
        for p, grade, weight in ((self.cement, "М500", 50), (self.cement400, "М400", 25)):
            services.product_attribute_set(product=p, attribute=self.grade, value=grade)
            services.product_attribute_set(product=p, attribute=self.weight, value=weight)
        services.product_attribute_set(product=self.plaster, attribute=self.weight, value=30)
        for p, season, studded in ((self.tyre_summer, "Летние", False), (self.tyre_winter, "Зимние", True)):
            services.product_attribute_set(product=p, attribute=self.season, value=season)
            services.product_attribute_set(product=p, attribute=self.studded, value=studded)
        for p, amount in (
            (self.cement, 620),
            (self.cement400, 390),
            (self.plaster, 540),
            (self.tyre_summer, 7800),
            (self.tyre_winter, 9900),
        ):
            set_price(p, self.retail, amount)
            set_price(p, self.wholesale, Decimal(amount) * Decimal("0.9"))
            stock(p, self.wh, 100, 10)

    @property
    def products(self):
        return [self.cement, self.cement400, self.plaster, self.tyre_summer, self.tyre_winter]
