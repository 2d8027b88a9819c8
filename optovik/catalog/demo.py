"""The demo catalog: categories, ~1,800 products with attributes, barcodes and pictures, three price
types, four warehouses with stock, contract prices, discounts and a "specification only" contract.

Deterministic (no unseeded randomness) and idempotent: rows are found by their natural keys
(article, code, external id) and only what is missing is created, so a second run changes nothing.
"""

import datetime as dt
import itertools
import random
import zlib
from decimal import Decimal

from django.utils import timezone

from optovik.core.money import round_money
from optovik.customers.models import Client, Contract
from optovik.inventory.models import ExpectedArrival, InventorySettings, Stock, Warehouse
from optovik.inventory.services import stock_write
from optovik.pricing.models import AmountDiscount, ContractPrice, Price, PriceType, QuantityDiscount, SpecificationItem

from . import demo_data as data
from .images import picture_files, shape_for
from .models import (
    Attribute,
    AttributeOption,
    Barcode,
    Brand,
    Category,
    Product,
    ProductAttributeValue,
    ProductImage,
    ProductRelation,
    Unit,
    VatRate,
)
from .search import search_index_update
from .services import category_create, category_products_sync, product_archive, product_create, product_relate

CONTRACT_PRICE_TYPES = {
    "demo-contract-sm-prepay": "wholesale",
    "demo-contract-sm-deferral": "dealer",
    "demo-contract-smr-ural": "wholesale",
    "demo-contract-transshina": "dealer",
    "demo-contract-vector": "wholesale",
}
SPEC_ONLY_CONTRACT = "demo-contract-vector"
SPEC_ONLY_CLIENT_NAME = "Вектор"
CONTRACT_PRICES_FOR = ("demo-contract-sm-prepay", "demo-contract-sm-deferral", "demo-contract-transshina")


def ean13(digits12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return digits12 + str((10 - total % 10) % 10)


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


def _reference_data():
    vat = {}
    for code, name, rate, exempt, default in data.VAT_RATES:
        vat[code], _ = VatRate.objects.get_or_create(
            code=code, defaults={"name": name, "rate": rate, "is_exempt": exempt, "is_default": default}
        )
    units = {}
    for name, okei in data.UNITS:
        units[name], _ = Unit.objects.get_or_create(okei_code=okei, defaults={"name": name})
    brands = {}
    for name, (manufacturer, country) in data.BRANDS.items():
        brands[name], _ = Brand.objects.get_or_create(
            name=name, defaults={"manufacturer": manufacturer, "country": country}
        )
    attributes, options = {}, {}
    for i, (code, name, kind, unit, values) in enumerate(data.ATTRIBUTES):
        attribute, _ = Attribute.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "unit": unit, "sort_order": i * 10}
        )
        attributes[code] = attribute
        for j, value in enumerate(values):
            options[code, value], _ = AttributeOption.objects.get_or_create(
                attribute=attribute, value=value, defaults={"sort_order": j}
            )
    return vat, units, brands, attributes, options


def _categories():
    """{path of names: Category}, created where missing (external id "demo-cat-<positions>")."""
    result = {}

    def walk(tree, trail, positions, parent):
        for i, (name, rest) in enumerate(tree, start=1):
            key = "demo-cat-" + ".".join(map(str, (*positions, i)))
            category = Category.objects.filter(external_id=key).first() or category_create(
                name=name, parent=parent, sort_order=i, external_id=key
            )
            result[(*trail, name)] = category
            if not isinstance(rest, str):
                walk(rest, (*trail, name), (*positions, i), category)

    walk(data.TREE, (), (), None)
    return result


def _price_types():
    types = {}
    for i, (code, name, _factor, default) in enumerate(data.PRICE_TYPES):
        types[code], _ = PriceType.objects.get_or_create(
            code=code, defaults={"name": name, "is_default": default, "sort_order": i, "vat_included": True}
        )
    return types


def _warehouses():
    result = []
    for i, (code, name, address, pickup, hours) in enumerate(data.WAREHOUSES):
        warehouse, _ = Warehouse.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "address": address,
                "is_pickup_point": pickup,
                "working_hours": hours,
                "sort_order": i,
            },
        )
        result.append(warehouse)
    InventorySettings.objects.get_or_create(pk=1, defaults={"mode": "levels", "few_threshold": Decimal(20)})
    return result


def _value(attribute: Attribute, options, value):
    if attribute.kind == Attribute.Kind.BOOLEAN:
        return {"value_key": "1" if value else "0"}
    if attribute.kind == Attribute.Kind.NUMBER:
        number = Decimal(str(value))
        return {"value_key": f"{number.normalize():f}", "value_number": number}
    if attribute.kind == Attribute.Kind.ENUM:
        return {"value_key": str(value), "option": options[attribute.code, str(value)]}
    return {"value_key": str(value)}


def _new_products(categories, refs):
    """Creates the products that are not there yet; returns them with their demo recipe."""
    vat, units, brands, attributes, options = refs
    wanted = list(data.demo_products())
    existing = set(
        Product.objects.filter(article__in=[p["article"] for _, p in wanted]).values_list("article", flat=True)
    )
    new = [(path, p) for path, p in wanted if p["article"] not in existing]
    tyre_vat, default_vat = vat["vat22"], vat["vat22"]
    products = []
    for path, p in new:
        products.append(
            Product(
                article=p["article"],
                code=p["article"].split("-")[1],
                external_id=f"demo-{p['article']}",
                name=p["name"],
                description=p["description"],
                category=categories[path],
                brand=brands[p["brand"]],
                unit=units[p["unit"]],
                vat_rate=tyre_vat if path[0] == "Шины" else default_vat,
                pack_multiplicity=p.get("pack", Decimal(1)),
                min_order_quantity=p.get("pack", Decimal(1)),
                weight_kg=p.get("weight"),
                volume_m3=p.get("volume"),
            )
        )
    Product.objects.bulk_create(products, batch_size=1000)
    if not products:
        return []
    by_article = dict(Product.objects.filter(article__in=[p.article for p in products]).values_list("article", "id"))
    values, barcodes = [], []
    for _path, p in new:
        pid = by_article[p["article"]]
        for code, value in p["attrs"].items():
            values.append(
                ProductAttributeValue(
                    product_id=pid, attribute=attributes[code], **_value(attributes[code], options, value)
                )
            )
        barcodes.append(Barcode(product_id=pid, code=ean13(f"46{zlib.crc32(p['article'].encode()):010d}")))
    ProductAttributeValue.objects.bulk_create(values, batch_size=2000)
    Barcode.objects.bulk_create(barcodes, batch_size=2000, ignore_conflicts=True)
    return [(by_article[p["article"]], path, p) for path, p in new]


def _images(new, categories):
    leaf_kind = dict(data.leaves())
    rows = []
    for pid, path, p in new:
        kind = leaf_kind[path]
        files = picture_files(key=kind.replace(".", "_"), shape=shape_for(kind), caption=path[-1])
        image, thumb = files[zlib.crc32(p["article"].encode()) % len(files)]
        rows.append(ProductImage(product_id=pid, image=image, thumbnail=thumb, alt=p["name"][:255], sort_order=0))
    ProductImage.objects.bulk_create(rows, batch_size=2000)


def _prices_and_stock(new, price_types, warehouses):
    prices, stock, arrivals = [], [], []
    today = timezone.localdate()
    factors = {code: factor for code, _name, factor, _default in data.PRICE_TYPES}
    for pid, _path, p in new:
        rnd = random.Random(f"demo-stock-{p['article']}")
        for code, price_type in price_types.items():
            prices.append(Price(product_id=pid, price_type=price_type, price=round_money(p["price"] * factors[code])))
        for warehouse in warehouses:
            roll = rnd.random()
            if roll < 0.15:
                continue
            on_hand = Decimal(0) if roll < 0.25 else Decimal(rnd.choice((3, 8, 15, 40, 120, 600, 2500)))
            reserved = (on_hand * Decimal(rnd.choice((0, 0, 0, 5, 10))) / 100).quantize(Decimal(1))
            stock.append(Stock(product_id=pid, warehouse=warehouse, on_hand=on_hand, reserved=reserved))
            if on_hand == 0:
                arrivals.append(
                    ExpectedArrival(
                        product_id=pid,
                        warehouse=warehouse,
                        date=today + dt.timedelta(days=rnd.randint(3, 30)),
                        quantity=Decimal(rnd.choice((50, 100, 500))),
                    )
                )
    Price.objects.bulk_create(prices, batch_size=2000, ignore_conflicts=True)
    with stock_write(product_ids=[pid for pid, _path, _p in new]):
        Stock.objects.bulk_create(stock, batch_size=2000, ignore_conflicts=True)
    ExpectedArrival.objects.bulk_create(arrivals, batch_size=2000)


def _relations(new):
    """Analogs: products of a leaf category with the same key attributes; related: a cement with
    the first plaster, tyres with the rims of the same diameter."""
    rows = []
    groups = {}
    for pid, path, p in new:
        attrs = p["attrs"]
        key = (path, attrs.get("width"), attrs.get("profile"), attrs.get("diameter"), attrs.get("bag_weight"))
        groups.setdefault(key, []).append(pid)
    for ids in groups.values():
        for a, b in itertools.pairwise(ids):
            rows += [
                ProductRelation(product_id=a, related_id=b, kind="analog"),
                ProductRelation(product_id=b, related_id=a, kind="analog"),
            ]
    rims = {}
    for pid, path, p in new:
        if path[0] == "Диски":
            rims.setdefault(p["attrs"]["diameter"], pid)
    for pid, path, p in new:
        rim = rims.get(p["attrs"].get("diameter")) if path[0] == "Шины" else None
        if rim:
            rows += [
                ProductRelation(product_id=pid, related_id=rim, kind="related"),
                ProductRelation(product_id=rim, related_id=pid, kind="related"),
            ]
    ProductRelation.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def _discontinued(categories, refs):
    """One product no longer sold: the М400 cement with additives, whose analogs are the additive-free
    25 kg bags of the same grade. A buyer who types its article meets its page with them."""
    if Product.objects.filter(article=data.DISCONTINUED["article"]).exists():
        return
    vat, units, brands, *_ = refs
    path = next(path for path, kind in data.leaves() if kind == "cement")
    recipe = data.DISCONTINUED
    product = product_create(
        article=recipe["article"],
        name=recipe["name"],
        category=categories[path],
        unit=units["шт"],
        vat_rate=vat["vat22"],
        brand=brands[recipe["brand"]],
        description=data.DESCRIPTION["cement"],
        external_id=f"demo-{recipe['article']}",
        weight_kg=Decimal(25),
        volume_m3=data.bag_volume(25),
    )
    analogs = Product.objects.filter(
        category=categories[path],
        status=Product.Status.ACTIVE,
        name__startswith="Цемент М400 Д0",
        name__endswith=", 25 кг",
    ).order_by("pk")
    for analog in analogs:
        product_relate(product=product, related=analog, kind="analog")
    product_archive(product=product)


def _contracts(price_types, categories, stdout):
    """Price types, contract prices and the specification of the demo contracts."""
    contracts = list(Contract.objects.order_by("pk"))
    if not contracts:
        _say(stdout, "  No contracts yet: contract prices and the specification were skipped.")
        return
    by_external = {c.external_id: c for c in contracts if c.external_id}
    round_robin = list(price_types.values())
    for i, contract in enumerate(contracts):
        if contract.price_type_id is None:
            code = CONTRACT_PRICE_TYPES.get(contract.external_id)
            contract.price_type = price_types[code] if code else round_robin[i % len(round_robin)]
            contract.save(update_fields=["price_type"])

    products = list(  # the products on sale (not the one no longer sold: the others keep their prices)
        Product.objects.filter(external_id__startswith="demo-", status=Product.Status.ACTIVE)
        .order_by("article")
        .values_list("id", "article")
    )
    retail = dict(Price.objects.filter(price_type=price_types["retail"]).values_list("product_id", "price"))
    rows = []
    for external_id in CONTRACT_PRICES_FOR:
        contract = by_external.get(external_id)
        if contract is None:
            continue
        for pid, _article in products[:: 7 if external_id.endswith("prepay") else 11]:
            if pid in retail:
                price = round_money(retail[pid] * Decimal("0.78"))
                rows.append(ContractPrice(contract=contract, product_id=pid, price=price))
    ContractPrice.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)

    spec_contract = by_external.get(SPEC_ONLY_CONTRACT) or (
        Contract.objects.filter(legal_entity__client__name=SPEC_ONLY_CLIENT_NAME).order_by("pk").first()
    )
    if spec_contract is None:
        _say(stdout, "  No contract of «Вектор»: the specification-only demo was skipped.")
    else:
        building = [row for prefix in ("CEM-", "MIX-", "BLK-", "BRK-") for row in products if row[1].startswith(prefix)]
        building = building[:20] + building[40:60] + building[100:120]
        items = []
        for i, (pid, _article) in enumerate(building):
            fixed = round_money(retail[pid] * Decimal("0.80")) if i % 3 == 0 and pid in retail else None
            items.append(
                SpecificationItem(
                    contract=spec_contract,
                    product_id=pid,
                    fixed_price=fixed,
                    max_quantity=Decimal(500) if i % 4 == 0 else None,
                )
            )
        SpecificationItem.objects.bulk_create(items, ignore_conflicts=True)
        if not spec_contract.specification_only:
            spec_contract.specification_only = True
            spec_contract.save(update_fields=["specification_only"])

    cement = categories.get(("Цемент и сухие смеси", "Цемент"))
    if cement and not QuantityDiscount.objects.filter(category=cement).exists():
        QuantityDiscount.objects.bulk_create(
            [
                QuantityDiscount(category=cement, min_quantity=Decimal(50), percent=Decimal(3)),
                QuantityDiscount(category=cement, min_quantity=Decimal(200), percent=Decimal(5)),
            ]
        )
    client = Client.objects.filter(external_id="demo-client-stroymarket").first()
    if client and not AmountDiscount.objects.filter(client=client).exists():
        AmountDiscount.objects.bulk_create(
            [
                AmountDiscount(client=client, min_amount=Decimal(300000), percent=Decimal(2)),
                AmountDiscount(client=client, min_amount=Decimal(1000000), percent=Decimal(4)),
            ]
        )


def seed_catalog(*, stdout=None) -> None:
    """Creates the demo catalog, or what is missing of it. Call it inside ``scopes_disabled()``."""
    refs = _reference_data()
    categories = _categories()
    price_types = _price_types()
    warehouses = _warehouses()
    new = _new_products(categories, refs)
    if new:
        _images(new, categories)
        _prices_and_stock(new, price_types, warehouses)
        _relations(new)
        search_index_update(product_ids=[pid for pid, _path, _p in new])
        category_products_sync(product_ids=[pid for pid, _path, _p in new])
    _discontinued(categories, refs)
    _contracts(price_types, categories, stdout)
    _say(
        stdout,
        f"Catalog demo data: {len(new)} products created, {Product.objects.count()} in the catalog, "
        f"{len(categories)} categories, {len(warehouses)} warehouses.",
    )
