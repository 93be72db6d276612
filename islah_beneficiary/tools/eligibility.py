"""Eligibility of a person for a service: conditions against facts.

Pure functions, no database: the service type's model gathers its
conditions (``islah.service.type._islah_eligibility_conditions``), the
beneficiary's its facts (``islah.beneficiary._islah_eligibility_facts``) and
the caller passes its environment (only ``env._`` is used), so that the
reasons are sentences in the reader's language.

Conditions (a dict; a missing or empty value is no condition):
    ``categories``     {id: name}: the person must be in one of them
    ``max_income_per_member``  monthly income per family member, at most (0: none)
    ``min_family_size`` / ``max_family_size``  (0: none)
    ``cities``         {id: name}: the person must live in one of them
    ``min_age`` / ``max_age``  in full years (0: none)

Facts (a dict; ``None`` is an unknown fact):
    ``category_ids`` [ids], ``family_size`` int, ``monthly_income`` float
    (the family's total), ``city_id`` int, ``age`` int, and optionally
    ``income_confidential`` (True: the reasons never show the income figure,
    for a reader who may not see it) and ``city_name`` (the city on file).

Limits are inclusive: an income per member equal to the maximum, a family
size equal to the minimum or maximum, qualify.

The verdict: ``False`` when one condition fails, else ``None`` when a fact
a condition needs is unknown ("may qualify: to be confirmed"), else ``True``.
"""

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


def _default_amount(amount):
    return f"{amount:,.2f}".replace(".00", "")


def income_per_member(monthly_income, family_size):
    """The monthly income per family member, or None when it cannot be known."""
    if monthly_income is None or not family_size:
        return None
    return monthly_income / family_size


def _range_text(env, low, high):
    if low and high:
        return env._("from %(low)s to %(high)s", low=low, high=high)
    if low:
        return env._("at least %(low)s", low=low)
    return env._("at most %(high)s", high=high)


def _in_range(value, low, high):
    return (not low or value >= low) and (not high or value <= high)


def _check_categories(conditions, facts, env):
    categories = conditions.get("categories") or {}
    if not categories:
        return None
    names = ", ".join(categories.values())
    fact = facts.get("category_ids")
    if fact is None:
        return UNKNOWN, env._(
            "This service is for: %(names)s. The category is to be confirmed.", names=names
        )
    matching = [name for cat_id, name in categories.items() if cat_id in set(fact)]
    if matching:
        return PASS, env._(
            "This service is for: %(names)s. Matching category: %(matching)s.",
            names=names,
            matching=", ".join(matching),
        )
    return FAIL, env._("This service is for: %(names)s.", names=names)


def _check_income(conditions, facts, env, format_amount):
    limit = conditions.get("max_income_per_member") or 0.0
    if limit <= 0:
        return None
    per_member = income_per_member(facts.get("monthly_income"), facts.get("family_size"))
    limit_text = format_amount(limit)
    if per_member is None:
        return UNKNOWN, env._(
            "The monthly income per family member is to be confirmed (limit: %(limit)s).",
            limit=limit_text,
        )
    # compared in halalas: 2,000.004 is still the limit of 2,000
    within = round(per_member, 2) <= round(limit, 2)
    if facts.get("income_confidential"):
        if within:
            return PASS, env._(
                "The monthly income per family member is within the limit of %(limit)s.",
                limit=limit_text,
            )
        return FAIL, env._(
            "The monthly income per family member is over the limit of %(limit)s.",
            limit=limit_text,
        )
    if within:
        return PASS, env._(
            "The monthly income per family member (%(income)s) is within the limit of %(limit)s.",
            income=format_amount(per_member),
            limit=limit_text,
        )
    return FAIL, env._(
        "The monthly income per family member (%(income)s) is over the limit of %(limit)s.",
        income=format_amount(per_member),
        limit=limit_text,
    )


def _check_family_size(conditions, facts, env):
    low = conditions.get("min_family_size") or 0
    high = conditions.get("max_family_size") or 0
    if not (low or high):
        return None
    condition = _range_text(env, low, high)
    size = facts.get("family_size")
    if size is None:
        return UNKNOWN, env._(
            "The family size is to be confirmed (condition: %(condition)s).",
            condition=condition,
        )
    if _in_range(size, low, high):
        return PASS, env._(
            "The family size (%(size)s) meets the condition: %(condition)s.",
            size=size,
            condition=condition,
        )
    return FAIL, env._(
        "The family size (%(size)s) does not meet the condition: %(condition)s.",
        size=size,
        condition=condition,
    )


def _check_city(conditions, facts, env):
    cities = conditions.get("cities") or {}
    if not cities:
        return None
    names = ", ".join(cities.values())
    city_id = facts.get("city_id")
    if city_id is None:
        return UNKNOWN, env._(
            "This service covers: %(names)s. The city is to be confirmed.", names=names
        )
    if city_id in cities:
        return PASS, env._(
            "This service covers: %(names)s. The city on file (%(city)s) is one of them.",
            names=names,
            city=cities[city_id],
        )
    if facts.get("city_name"):
        return FAIL, env._(
            "This service covers only: %(names)s (the city on file is %(city)s).",
            names=names,
            city=facts["city_name"],
        )
    return FAIL, env._("This service covers only: %(names)s.", names=names)


def _check_age(conditions, facts, env):
    low = conditions.get("min_age") or 0
    high = conditions.get("max_age") or 0
    if not (low or high):
        return None
    condition = _range_text(env, low, high)
    age = facts.get("age")
    if age is None:
        return UNKNOWN, env._(
            "The age is to be confirmed (condition: %(condition)s years).", condition=condition
        )
    if _in_range(age, low, high):
        return PASS, env._(
            "The age (%(age)s years) meets the condition: %(condition)s years.",
            age=age,
            condition=condition,
        )
    return FAIL, env._(
        "The age (%(age)s years) does not meet the condition: %(condition)s years.",
        age=age,
        condition=condition,
    )


def evaluate(conditions, facts, env, format_amount=None):
    """``{"eligible": True|False|None, "reasons": [sentence, ...]}`` for one
    service's ``conditions`` and a person's ``facts`` (see the module doc).

    ``env._(text, **params)`` translates into the reader's language;
    ``format_amount(amount)`` writes an amount with its currency.
    """
    format_amount = format_amount or _default_amount
    facts = facts or {}
    results = [
        result
        for result in (
            _check_categories(conditions, facts, env),
            _check_income(conditions, facts, env, format_amount),
            _check_family_size(conditions, facts, env),
            _check_city(conditions, facts, env),
            _check_age(conditions, facts, env),
        )
        if result
    ]
    if not results:
        return {
            "eligible": True,
            "reasons": [env._("This service has no eligibility conditions.")],
        }
    outcomes = {outcome for outcome, _reason in results}
    if FAIL in outcomes:
        eligible = False
    elif UNKNOWN in outcomes:
        eligible = None
    else:
        eligible = True
    return {"eligible": eligible, "reasons": [reason for _outcome, reason in results]}


def age_on(birth_date, day):
    """Full years from ``birth_date`` to ``day`` (None when unknown); a
    person born on 29 February is a year older on 1 March."""
    if not birth_date or not day:
        return None
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday
