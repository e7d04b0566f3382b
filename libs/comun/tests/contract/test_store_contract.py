"""Contract of the document-store port: every adapter must pass these unchanged (DESIGN §3).

Expected results follow MongoDB's semantics, so the same tests hold for the MongoDB adapter.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from comun.store import Collection, Document, DuplicateKeyError, Filter, Store

OpenStore = Callable[[], Awaitable[Store]]


async def insert_all(docs: Collection, *documents: Document) -> None:
    """Insert documents one by one."""
    for document in documents:
        await docs.insert(document)


async def ids(docs: Collection, filter: Filter | None = None, **options: Any) -> list[str]:
    """Return the `_id`s found, in the order returned."""
    return [doc["_id"] for doc in await docs.find(filter, **options)]


async def matching(docs: Collection, filter: Filter) -> set[str]:
    """Return the set of `_id`s matching a filter (order-free)."""
    return set(await ids(docs, filter))


@pytest.fixture
async def typed(docs: Collection) -> Collection:
    """A collection where `v` takes one value of each JSON type, or is missing."""
    await insert_all(
        docs,
        {"_id": "int", "v": 1},
        {"_id": "float", "v": 2.5},
        {"_id": "str", "v": "1"},
        {"_id": "true", "v": True},
        {"_id": "false", "v": False},
        {"_id": "null", "v": None},
        {"_id": "object", "v": {"x": 1}},
        {"_id": "missing"},
    )
    return docs


# ---------------------------------------------------------------- insert and get


async def test_get_returns_the_inserted_document(docs: Collection) -> None:
    document = {"_id": "a", "nombre": "Ana", "datos": {"edad": 30, "tags": ["x"]}, "ok": True}
    await docs.insert(document)
    assert await docs.get("a") == document


async def test_get_returns_none_for_an_unknown_id(docs: Collection) -> None:
    assert await docs.get("nadie") is None


async def test_insert_rejects_a_taken_id(docs: Collection) -> None:
    await docs.insert({"_id": "a", "n": 1})
    with pytest.raises(DuplicateKeyError):
        await docs.insert({"_id": "a", "n": 2})
    assert await docs.get("a") == {"_id": "a", "n": 1}


async def test_insert_stores_a_snapshot_of_the_document(docs: Collection) -> None:
    lista = [1]
    await docs.insert({"_id": "a", "lista": lista})
    lista.append(2)
    assert await docs.get("a") == {"_id": "a", "lista": [1]}


async def test_documents_keep_unicode_and_numbers_exactly(docs: Collection) -> None:
    document = {"_id": "ñ", "texto": "Peña «Conóceles» 👩🏽‍⚖️", "entero": 2**53, "real": 0.1}
    await docs.insert(document)
    assert await docs.get("ñ") == document


async def test_collections_are_independent(store: Store) -> None:
    await store.collection("uno").insert({"_id": "a", "n": 1})
    await store.collection("dos").insert({"_id": "a", "n": 2})
    assert await store.collection("uno").get("a") == {"_id": "a", "n": 1}


async def test_ping_answers_on_an_open_store(store: Store) -> None:
    await store.ping()


# ---------------------------------------------------------------- equality


async def test_find_without_filter_returns_every_document(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a"}, {"_id": "b"})
    assert await matching(docs, {}) == {"a", "b"}


async def test_find_implicit_equality(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "estado": "enviado"}, {"_id": "b", "estado": "borrador"})
    assert await matching(docs, {"estado": "enviado"}) == {"a"}


async def test_find_eq_operator(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "n": 5}, {"_id": "b", "n": 6})
    assert await matching(docs, {"n": {"$eq": 5}}) == {"a"}


async def test_find_equality_does_not_match_other_types(typed: Collection) -> None:
    assert await matching(typed, {"v": 1}) == {"int"}


async def test_find_equality_on_a_string_does_not_match_numbers(typed: Collection) -> None:
    assert await matching(typed, {"v": "1"}) == {"str"}


async def test_find_equality_on_true_does_not_match_one(typed: Collection) -> None:
    assert await matching(typed, {"v": True}) == {"true"}


async def test_find_integer_equality_matches_an_equal_float(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "n": 2.0}, {"_id": "b", "n": 2.5})
    assert await matching(docs, {"n": 2}) == {"a"}


async def test_find_none_matches_null_and_missing(typed: Collection) -> None:
    assert await matching(typed, {"v": None}) == {"null", "missing"}


async def test_find_subdocument_equality_is_exact(docs: Collection) -> None:
    await insert_all(
        docs,
        {"_id": "igual", "d": {"x": 1, "y": "b"}},
        {"_id": "mas", "d": {"x": 1, "y": "b", "z": 0}},
        {"_id": "otro", "d": {"x": 2, "y": "b"}},
    )
    assert await matching(docs, {"d": {"x": 1, "y": "b"}}) == {"igual"}


async def test_find_combines_several_fields_with_and(docs: Collection) -> None:
    await insert_all(
        docs,
        {"_id": "a", "partido": "p1", "estado": "enviado"},
        {"_id": "b", "partido": "p1", "estado": "borrador"},
        {"_id": "c", "partido": "p2", "estado": "enviado"},
    )
    assert await matching(docs, {"partido": "p1", "estado": "enviado"}) == {"a"}


async def test_find_by_id(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a"}, {"_id": "b"})
    assert await matching(docs, {"_id": "b"}) == {"b"}


async def test_find_by_id_with_in(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a"}, {"_id": "b"}, {"_id": "c"})
    assert await matching(docs, {"_id": {"$in": ["a", "c", "z"]}}) == {"a", "c"}


# ---------------------------------------------------------------- $ne $in $nin


async def test_find_ne_matches_other_values_and_missing_fields(typed: Collection) -> None:
    expected = {"float", "str", "true", "false", "null", "object", "missing"}
    assert await matching(typed, {"v": {"$ne": 1}}) == expected


async def test_find_ne_none_excludes_null_and_missing(typed: Collection) -> None:
    expected = {"int", "float", "str", "true", "false", "object"}
    assert await matching(typed, {"v": {"$ne": None}}) == expected


async def test_find_in_matches_any_listed_value_of_its_own_type(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$in": [1, "1", 7]}}) == {"int", "str"}


async def test_find_in_with_none_matches_null_and_missing(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$in": [None, True]}}) == {"null", "missing", "true"}


async def test_find_in_with_an_empty_list_matches_nothing(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$in": []}}) == set()


async def test_find_nin_matches_missing_fields(typed: Collection) -> None:
    expected = {"float", "true", "false", "null", "object", "missing"}
    assert await matching(typed, {"v": {"$nin": [1, "1"]}}) == expected


# ---------------------------------------------------------------- comparisons


@pytest.fixture
async def numbers(docs: Collection) -> Collection:
    """A collection with n = 1..5 plus documents whose n is not a number."""
    await insert_all(docs, *({"_id": f"n{n}", "n": n} for n in range(1, 6)))
    await insert_all(docs, {"_id": "texto", "n": "3"}, {"_id": "nulo", "n": None}, {"_id": "sin"})
    return docs


async def test_find_gt(numbers: Collection) -> None:
    assert await matching(numbers, {"n": {"$gt": 3}}) == {"n4", "n5"}


async def test_find_gte(numbers: Collection) -> None:
    assert await matching(numbers, {"n": {"$gte": 4}}) == {"n4", "n5"}


async def test_find_lt(numbers: Collection) -> None:
    assert await matching(numbers, {"n": {"$lt": 2}}) == {"n1"}


async def test_find_lte(numbers: Collection) -> None:
    assert await matching(numbers, {"n": {"$lte": 2}}) == {"n1", "n2"}


async def test_find_range_combines_two_operators_on_one_field(numbers: Collection) -> None:
    assert await matching(numbers, {"n": {"$gt": 1, "$lte": 3}}) == {"n2", "n3"}


async def test_find_comparisons_compare_floats_with_integers(numbers: Collection) -> None:
    assert await matching(numbers, {"n": {"$gt": 4.5}}) == {"n5"}


async def test_find_number_comparison_never_matches_strings(numbers: Collection) -> None:
    assert "texto" not in await matching(numbers, {"n": {"$gte": 0}})


async def test_find_string_comparison_never_matches_numbers(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$gte": ""}}) == {"str"}


async def test_find_string_comparison_orders_by_code_point(docs: Collection) -> None:
    await insert_all(
        docs, {"_id": "a", "s": "abc"}, {"_id": "b", "s": "abd"}, {"_id": "c", "s": "B"}
    )
    assert await matching(docs, {"s": {"$gt": "abc"}}) == {"b"}


async def test_find_comparison_on_booleans_stays_among_booleans(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$gt": False}}) == {"true"}


async def test_find_gte_none_matches_null_and_missing(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$gte": None}}) == {"null", "missing"}


async def test_find_gt_none_matches_nothing(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$gt": None}}) == set()


# ---------------------------------------------------------------- $exists


async def test_find_exists_true_includes_null_values(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$exists": True}}) == await matching(typed, {}) - {
        "missing"
    }


async def test_find_exists_false_matches_only_missing_fields(typed: Collection) -> None:
    assert await matching(typed, {"v": {"$exists": False}}) == {"missing"}


async def test_find_exists_on_a_dotted_path(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "d": {"x": None}}, {"_id": "b", "d": {}}, {"_id": "c"})
    assert await matching(docs, {"d.x": {"$exists": True}}) == {"a"}


# ---------------------------------------------------------------- $and $or


async def test_find_and(numbers: Collection) -> None:
    query = {"$and": [{"n": {"$gt": 1}}, {"n": {"$lt": 4}}]}
    assert await matching(numbers, query) == {"n2", "n3"}


async def test_find_or(numbers: Collection) -> None:
    query = {"$or": [{"n": 1}, {"n": "3"}, {"n": {"$exists": False}}]}
    assert await matching(numbers, query) == {"n1", "texto", "sin"}


async def test_find_or_nested_in_and_with_a_field(numbers: Collection) -> None:
    query = {"n": {"$lt": 5}, "$or": [{"n": 1}, {"$and": [{"n": {"$gt": 3}}]}]}
    assert await matching(numbers, query) == {"n1", "n4"}


# ---------------------------------------------------------------- dotted paths and arrays


async def test_find_dotted_path_into_a_subdocument(docs: Collection) -> None:
    await insert_all(
        docs,
        {"_id": "a", "domicilio": {"estado": {"clave": "09"}}},
        {"_id": "b", "domicilio": {"estado": {"clave": "15"}}},
        {"_id": "c", "domicilio": "sin datos"},
    )
    assert await matching(docs, {"domicilio.estado.clave": "09"}) == {"a"}


async def test_find_dotted_path_through_a_scalar_counts_as_missing(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "d": 5}, {"_id": "b", "d": {"x": 1}})
    assert await matching(docs, {"d.x": None}) == {"a"}


async def test_find_matches_array_element_equality(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "tags": ["x", "y"]}, {"_id": "b", "tags": ["z"]})
    assert await matching(docs, {"tags": "x"}) == {"a"}


async def test_find_matches_whole_array_equality(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "tags": ["x", "y"]}, {"_id": "b", "tags": ["y", "x"]})
    assert await matching(docs, {"tags": ["x", "y"]}) == {"a"}


async def test_find_matches_array_and_scalar_values_of_one_field(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "t": ["x"]}, {"_id": "b", "t": "x"}, {"_id": "c", "t": "y"})
    assert await matching(docs, {"t": "x"}) == {"a", "b"}


async def test_find_in_matches_array_elements(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "tags": ["x", "y"]}, {"_id": "b", "tags": ["z"]})
    assert await matching(docs, {"tags": {"$in": ["y", "w"]}}) == {"a"}


async def test_find_ne_excludes_arrays_that_contain_the_value(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "tags": ["x", "y"]}, {"_id": "b", "tags": ["z"]})
    assert await matching(docs, {"tags": {"$ne": "x"}}) == {"b"}


async def test_find_comparison_matches_any_array_element(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "n": [1, 10]}, {"_id": "b", "n": [2, 3]})
    assert await matching(docs, {"n": {"$gt": 5}}) == {"a"}


async def test_find_range_on_array_may_be_met_by_different_elements(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "n": [1, 10]}, {"_id": "b", "n": [20]})
    assert await matching(docs, {"n": {"$gt": 5, "$lt": 3}}) == {"a"}


async def test_find_dotted_path_through_an_array_of_subdocuments(docs: Collection) -> None:
    await insert_all(
        docs,
        {"_id": "a", "cargos": [{"tipo": "diputación"}, {"tipo": "senaduría"}]},
        {"_id": "b", "cargos": [{"tipo": "presidencia"}]},
    )
    assert await matching(docs, {"cargos.tipo": "senaduría"}) == {"a"}


async def test_find_numeric_index_in_a_dotted_path(docs: Collection) -> None:
    await insert_all(
        docs,
        {"_id": "a", "cargos": [{"tipo": "diputación"}, {"tipo": "senaduría"}]},
        {"_id": "b", "cargos": [{"tipo": "senaduría"}, {"tipo": "diputación"}]},
    )
    assert await matching(docs, {"cargos.0.tipo": "senaduría"}) == {"b"}


async def test_find_numeric_index_of_an_array_of_scalars(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "t": ["x", "y"]}, {"_id": "b", "t": ["y", "x"]})
    assert await matching(docs, {"t.1": "x"}) == {"b"}


async def test_find_none_through_array_matches_elements_missing_the_field(
    docs: Collection,
) -> None:
    await insert_all(
        docs,
        {"_id": "b5", "a": [{"b": 5}]},
        {"_id": "vacio", "a": [{}]},
        {"_id": "sin_elementos", "a": []},
        {"_id": "mixto", "a": [{}, {"b": 5}]},
        {"_id": "escalar", "a": [5, {"b": 5}]},
    )
    assert await matching(docs, {"a.b": None}) == {"vacio", "mixto"}


async def test_find_exists_through_an_array_of_subdocuments(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "l": [{"x": 1}, {}]}, {"_id": "b", "l": [{}]})
    assert await matching(docs, {"l.x": {"$exists": True}}) == {"a"}


async def test_find_nested_arrays_are_not_traversed_implicitly(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "t": [["x"]]}, {"_id": "b", "t": ["x"]})
    assert await matching(docs, {"t": "x"}) == {"b"}


@pytest.fixture
async def lists(docs: Collection) -> Collection:
    """A collection where `o` is an array of 0, 1 or 2 elements, an object, or missing."""
    await insert_all(
        docs,
        {"_id": "vacio", "o": []},
        {"_id": "uno", "o": [{"id": "e1"}]},
        {"_id": "dos", "o": [{"id": "e1"}, {"id": "e2"}]},
        {"_id": "objeto", "o": {"0": "x"}},
        {"_id": "sin"},
    )
    return docs


async def test_find_array_index_exists_matches_non_empty_arrays(lists: Collection) -> None:
    assert await matching(lists, {"o.0": {"$exists": True}}) == {"uno", "dos", "objeto"}


async def test_find_array_index_not_exists_matches_empty_and_missing(lists: Collection) -> None:
    assert await matching(lists, {"o.0": {"$exists": False}}) == {"vacio", "sin"}


async def test_find_second_array_index_exists_needs_two_elements(lists: Collection) -> None:
    assert await matching(lists, {"o.1": {"$exists": True}}) == {"dos"}


async def test_find_pending_outbox_page_after_an_id(lists: Collection) -> None:
    query = {"$and": [{"o.0": {"$exists": True}}, {"_id": {"$gt": "objeto"}}]}
    assert await ids(lists, query, sort=[("_id", 1)], limit=1) == ["uno"]


# ---------------------------------------------------------------- invalid filters


@pytest.mark.parametrize(
    "bad_filter",
    [
        {"n": {"$regex": "a"}},
        {"n": {"$elemMatch": {"x": 1}}},
        {"$nor": [{"n": 1}]},
        {"$where": "true"},
        {"n": {"$in": 5}},
        {"$or": []},
    ],
)
async def test_find_rejects_unsupported_operators_with_value_error(
    docs: Collection, bad_filter: Filter
) -> None:
    with pytest.raises(ValueError, match=r"\$"):
        await docs.find(bad_filter)


# ---------------------------------------------------------------- sort, skip, limit


async def test_find_sorts_ascending(numbers: Collection) -> None:
    assert await ids(numbers, {"n": {"$gte": 1}}, sort=[("n", 1)]) == [
        "n1",
        "n2",
        "n3",
        "n4",
        "n5",
    ]


async def test_find_sorts_descending(numbers: Collection) -> None:
    assert await ids(numbers, {"n": {"$gte": 2}}, sort=[("n", -1)]) == ["n5", "n4", "n3", "n2"]


async def test_find_sorts_by_compound_keys_with_mixed_directions(docs: Collection) -> None:
    await insert_all(
        docs,
        {"_id": "a", "p": "x", "d": {"n": 1}},
        {"_id": "b", "p": "x", "d": {"n": 2}},
        {"_id": "c", "p": "w", "d": {"n": 3}},
    )
    assert await ids(docs, sort=[("p", 1), ("d.n", -1)]) == ["c", "b", "a"]


async def test_find_sorts_mixed_types_by_type_bracket(docs: Collection) -> None:
    await insert_all(
        docs,
        {"_id": "bool", "v": False},
        {"_id": "object", "v": {"x": 1}},
        {"_id": "string", "v": "a"},
        {"_id": "number", "v": 10},
        {"_id": "null", "v": None},
    )
    assert await ids(docs, sort=[("v", 1)]) == ["null", "number", "string", "object", "bool"]


async def test_find_sorts_missing_and_null_before_values(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "v": 1}, {"_id": "b"}, {"_id": "c", "v": 0})
    assert (await ids(docs, sort=[("v", 1)]))[2] == "a"


async def test_find_sorts_arrays_by_their_smallest_element_ascending(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "v": [5, 1]}, {"_id": "b", "v": 3}, {"_id": "c", "v": [2]})
    assert await ids(docs, sort=[("v", 1)]) == ["a", "c", "b"]


async def test_find_sorts_arrays_by_their_largest_element_descending(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "v": [5, 1]}, {"_id": "b", "v": 3}, {"_id": "c", "v": [4]})
    assert await ids(docs, sort=[("v", -1)]) == ["a", "c", "b"]


async def test_find_skips_and_limits_after_sorting(numbers: Collection) -> None:
    query = {"n": {"$gte": 1}}
    assert await ids(numbers, query, sort=[("n", 1)], skip=1, limit=2) == ["n2", "n3"]


async def test_find_with_limit_zero_returns_everything(numbers: Collection) -> None:
    assert len(await numbers.find({"n": {"$gte": 1}}, limit=0)) == 5


async def test_find_with_skip_beyond_the_end_returns_nothing(numbers: Collection) -> None:
    assert await numbers.find({}, skip=100) == []


async def test_find_skips_and_limits_with_a_sort_on_an_array_field(docs: Collection) -> None:
    await insert_all(docs, *({"_id": f"d{i}", "v": [i, 100 - i]} for i in range(5)))
    assert await ids(docs, sort=[("v", 1)], skip=1, limit=2) == ["d1", "d2"]


# ---------------------------------------------------------------- count


async def test_count_without_filter_counts_every_document(numbers: Collection) -> None:
    assert await numbers.count() == 8


async def test_count_with_a_filter(numbers: Collection) -> None:
    assert await numbers.count({"n": {"$gt": 2}}) == 3


async def test_count_of_an_empty_collection_is_zero(docs: Collection) -> None:
    assert await docs.count() == 0


# ---------------------------------------------------------------- indexes


async def test_create_index_is_idempotent(docs: Collection) -> None:
    await docs.create_index([("k", 1)], unique=True)
    await docs.create_index([("k", 1)], unique=True)
    await docs.insert({"_id": "a", "k": 1})
    with pytest.raises(DuplicateKeyError):
        await docs.insert({"_id": "b", "k": 1})


async def test_unique_index_rejects_a_duplicate_value_on_insert(docs: Collection) -> None:
    await docs.create_index([("correo", 1)], unique=True)
    await docs.insert({"_id": "a", "correo": "ana@example.org"})
    with pytest.raises(DuplicateKeyError):
        await docs.insert({"_id": "b", "correo": "ana@example.org"})
    assert await docs.count() == 1


async def test_unique_index_allows_equal_values_of_different_types(docs: Collection) -> None:
    await docs.create_index([("k", 1)], unique=True)
    await insert_all(docs, {"_id": "a", "k": 1}, {"_id": "b", "k": "1"}, {"_id": "c", "k": True})
    assert await docs.count() == 3


async def test_unique_index_rejects_a_duplicate_value_on_update(docs: Collection) -> None:
    await docs.create_index([("k", 1)], unique=True)
    await insert_all(docs, {"_id": "a", "k": 1, "version": 1}, {"_id": "b", "k": 2, "version": 1})
    with pytest.raises(DuplicateKeyError):
        await docs.update_if_version({"_id": "b", "k": 1}, expected_version=1)
    assert await docs.get("b") == {"_id": "b", "k": 2, "version": 1}


async def test_unique_index_treats_a_missing_field_as_null(docs: Collection) -> None:
    await docs.create_index([("k", 1)], unique=True)
    await docs.insert({"_id": "a"})
    with pytest.raises(DuplicateKeyError):
        await docs.insert({"_id": "b", "k": None})


async def test_unique_index_allows_only_one_document_without_the_field(docs: Collection) -> None:
    await docs.create_index([("k", 1)], unique=True)
    await docs.insert({"_id": "a"})
    with pytest.raises(DuplicateKeyError):
        await docs.insert({"_id": "b"})


async def test_compound_unique_index_rejects_only_a_duplicate_pair(docs: Collection) -> None:
    await docs.create_index([("eleccion", 1), ("cargo.clave", -1)], unique=True)
    await insert_all(
        docs,
        {"_id": "a", "eleccion": "e1", "cargo": {"clave": "dip"}},
        {"_id": "b", "eleccion": "e1", "cargo": {"clave": "sen"}},
        {"_id": "c", "eleccion": "e2", "cargo": {"clave": "dip"}},
    )
    with pytest.raises(DuplicateKeyError):
        await docs.insert({"_id": "d", "eleccion": "e1", "cargo": {"clave": "dip"}})


async def test_unique_index_cannot_be_created_over_duplicates(docs: Collection) -> None:
    await insert_all(docs, {"_id": "a", "k": 1}, {"_id": "b", "k": 1})
    with pytest.raises(DuplicateKeyError):
        await docs.create_index([("k", 1)], unique=True)


async def test_indexed_queries_keep_type_semantics(docs: Collection) -> None:
    await docs.create_index([("v", 1)])
    await insert_all(
        docs, {"_id": "int", "v": 1}, {"_id": "str", "v": "1"}, {"_id": "true", "v": True}
    )
    await docs.insert({"_id": "missing"})
    assert await matching(docs, {"v": {"$gte": 1}}) == {"int"}
    assert await matching(docs, {"v": None}) == {"missing"}


async def test_compound_index_serves_sorted_queries_correctly(docs: Collection) -> None:
    await docs.create_index([("p", 1), ("n", -1)])
    await insert_all(docs, *({"_id": f"d{i}", "p": f"p{i % 2}", "n": i} for i in range(6)))
    assert await ids(docs, {"p": "p0"}, sort=[("p", 1), ("n", -1)]) == ["d4", "d2", "d0"]


PENDIENTES: Filter = {"o.0": {"$exists": True}}


async def test_partial_index_leaves_the_results_of_its_condition_unchanged(
    lists: Collection,
) -> None:
    await lists.create_index([("_id", 1), ("o.0", 1)], partial=PENDIENTES)
    assert await ids(lists, PENDIENTES, sort=[("_id", 1)]) == ["dos", "objeto", "uno"]
    assert await matching(lists, {"o.0": {"$exists": False}}) == {"vacio", "sin"}
    paged = {"$and": [PENDIENTES, {"_id": {"$gt": "objeto"}}]}
    assert await ids(lists, paged, sort=[("_id", 1)], limit=1) == ["uno"]


async def test_partial_index_follows_pulls_and_pushes_of_the_array(docs: Collection) -> None:
    await docs.create_index([("_id", 1), ("o.0", 1)], partial=PENDIENTES)
    await docs.insert({"_id": "a", "o": [{"id": "e1"}], "version": 1})
    await docs.pull("a", "o", ids=["e1"])
    assert await matching(docs, PENDIENTES) == set()
    pushed = {"_id": "a", "version": 1}
    assert await docs.update_if_version(pushed, expected_version=1, push={"o": [{"id": "e2"}]})
    assert await matching(docs, PENDIENTES) == {"a"}


async def test_partial_index_created_over_existing_documents_covers_them(
    lists: Collection,
) -> None:
    await lists.insert({"_id": "tres", "o": [{"id": "e1"}, {"id": "e2"}, {"id": "e3"}]})
    await lists.create_index([("_id", 1), ("o.0", 1)], partial=PENDIENTES)
    assert await matching(lists, PENDIENTES) == {"uno", "dos", "tres", "objeto"}


async def test_partial_index_is_idempotent(docs: Collection) -> None:
    await docs.create_index([("_id", 1), ("o.0", 1)], partial=PENDIENTES)
    await docs.create_index([("_id", 1), ("o.0", 1)], partial=PENDIENTES)
    await docs.insert({"_id": "a", "o": [{"id": "e1"}]})
    assert await matching(docs, PENDIENTES) == {"a"}


@pytest.mark.parametrize(
    "partial",
    [{}, {"k": 1}, {"k": {"$exists": False}}, {"k": {"$exists": 1}}, {"$or": [PENDIENTES]}],
    ids=str,
)
async def test_partial_index_accepts_only_exists_true_conditions(
    docs: Collection, partial: Filter
) -> None:
    with pytest.raises(ValueError, match="partial index"):
        await docs.create_index([("k", 1)], partial=partial)


async def test_partial_index_cannot_be_unique(docs: Collection) -> None:
    with pytest.raises(ValueError, match="partial index cannot be unique"):
        await docs.create_index([("k", 1)], unique=True, partial={"k": {"$exists": True}})


# ---------------------------------------------------------------- update_if_version


async def test_update_if_version_replaces_the_document(docs: Collection) -> None:
    await docs.insert({"_id": "a", "estado": "borrador", "version": 1})
    assert await docs.update_if_version({"_id": "a", "estado": "enviado"}, expected_version=1)
    assert await docs.get("a") == {"_id": "a", "estado": "enviado", "version": 2}


async def test_update_if_version_sets_the_new_version_on_the_passed_document(
    docs: Collection,
) -> None:
    await docs.insert({"_id": "a", "version": 3})
    document = {"_id": "a", "version": 3, "n": 1}
    await docs.update_if_version(document, expected_version=3)
    assert document["version"] == 4


async def test_update_if_version_refuses_a_stale_version(docs: Collection) -> None:
    await docs.insert({"_id": "a", "n": 1, "version": 2})
    assert not await docs.update_if_version({"_id": "a", "n": 9}, expected_version=1)
    assert await docs.get("a") == {"_id": "a", "n": 1, "version": 2}


async def test_update_if_version_leaves_the_passed_document_alone_on_conflict(
    docs: Collection,
) -> None:
    await docs.insert({"_id": "a", "version": 2})
    document = {"_id": "a", "version": 1}
    await docs.update_if_version(document, expected_version=1)
    assert document == {"_id": "a", "version": 1}


async def test_update_if_version_returns_false_for_a_missing_document(docs: Collection) -> None:
    assert not await docs.update_if_version({"_id": "nadie"}, expected_version=1)
    assert await docs.get("nadie") is None


async def test_update_if_version_with_push_appends_to_the_stored_array(docs: Collection) -> None:
    await docs.insert({"_id": "a", "n": 1, "cola": [{"id": "e1"}], "version": 1})
    assert await docs.update_if_version(
        {"_id": "a", "n": 2}, expected_version=1, push={"cola": [{"id": "e2"}]}
    )
    assert await docs.get("a") == {
        "_id": "a",
        "n": 2,
        "cola": [{"id": "e1"}, {"id": "e2"}],
        "version": 2,
    }


async def test_update_if_version_with_push_keeps_a_concurrent_pull(docs: Collection) -> None:
    await docs.insert({"_id": "a", "cola": [{"id": "e1"}], "version": 1})
    await docs.pull("a", "cola", ids=["e1"])
    assert await docs.update_if_version(
        {"_id": "a", "cola": [{"id": "e1"}]}, expected_version=1, push={"cola": [{"id": "e2"}]}
    )
    stored = await docs.get("a")
    assert stored is not None and stored["cola"] == [{"id": "e2"}]


async def test_update_if_version_with_push_creates_a_missing_array(docs: Collection) -> None:
    await docs.insert({"_id": "a", "version": 1})
    assert await docs.update_if_version({"_id": "a"}, expected_version=1, push={"cola": [1]})
    stored = await docs.get("a")
    assert stored is not None and stored["cola"] == [1]


async def test_update_if_version_with_push_refuses_a_stale_version(docs: Collection) -> None:
    await docs.insert({"_id": "a", "cola": [], "version": 2})
    assert not await docs.update_if_version({"_id": "a"}, expected_version=1, push={"cola": [1]})
    assert await docs.get("a") == {"_id": "a", "cola": [], "version": 2}


async def test_concurrent_updates_of_one_version_have_exactly_one_winner(
    docs: Collection,
) -> None:
    await docs.insert({"_id": "a", "ganador": None, "version": 1})
    attempts = [
        docs.update_if_version({"_id": "a", "ganador": i}, expected_version=1) for i in range(50)
    ]
    results = await asyncio.gather(*attempts)
    stored = await docs.get("a")
    assert results.count(True) == 1
    assert stored is not None and stored["version"] == 2
    assert results[stored["ganador"]] is True


async def test_concurrent_read_modify_write_loses_no_update(docs: Collection) -> None:
    await docs.insert({"_id": "a", "n": 0, "version": 0})

    async def increment() -> None:
        while True:
            current = await docs.get("a")
            assert current is not None
            current["n"] += 1
            if await docs.update_if_version(current, expected_version=current["version"]):
                return

    await asyncio.gather(*(increment() for _ in range(20)))
    assert await docs.get("a") == {"_id": "a", "n": 20, "version": 20}


async def test_update_keeps_array_semantics_for_new_array_fields(docs: Collection) -> None:
    await docs.insert({"_id": "a", "t": "x", "version": 1})
    await docs.update_if_version({"_id": "a", "t": ["y", "z"]}, expected_version=1)
    assert await matching(docs, {"t": "z"}) == {"a"}


# ---------------------------------------------------------------- pull


@pytest.fixture
async def with_outbox(docs: Collection) -> Collection:
    """A document with three pending events in its outbox."""
    outbox = [{"id": "e1", "tipo": "A"}, {"id": "e2", "tipo": "B"}, {"id": "e3", "tipo": "C"}]
    await docs.insert({"_id": "a", "outbox": outbox, "version": 1})
    return docs


async def test_pull_removes_the_elements_with_the_listed_ids(with_outbox: Collection) -> None:
    await with_outbox.pull("a", "outbox", ids=["e1", "e3"])
    stored = await with_outbox.get("a")
    assert stored is not None and stored["outbox"] == [{"id": "e2", "tipo": "B"}]


async def test_pull_keeps_the_version(with_outbox: Collection) -> None:
    await with_outbox.pull("a", "outbox", ids=["e1"])
    stored = await with_outbox.get("a")
    assert stored is not None and stored["version"] == 1


async def test_pull_with_unknown_ids_leaves_the_array_unchanged(with_outbox: Collection) -> None:
    before = await with_outbox.get("a")
    await with_outbox.pull("a", "outbox", ids=["zz"])
    assert await with_outbox.get("a") == before


async def test_pull_on_a_missing_document_does_nothing(docs: Collection) -> None:
    await docs.pull("nadie", "outbox", ids=["e1"])
    assert await docs.get("nadie") is None


async def test_pull_into_a_subdocument_path(docs: Collection) -> None:
    await docs.insert({"_id": "a", "meta": {"pendientes": [{"id": "x"}, {"id": "y"}]}})
    await docs.pull("a", "meta.pendientes", ids=["x"])
    assert await docs.get("a") == {"_id": "a", "meta": {"pendientes": [{"id": "y"}]}}


async def test_pulls_racing_with_updates_lose_nothing(with_outbox: Collection) -> None:
    async def append(tipo: str) -> None:
        while True:
            current = await with_outbox.get("a")
            assert current is not None
            current["outbox"].append({"id": tipo, "tipo": tipo})
            if await with_outbox.update_if_version(current, expected_version=current["version"]):
                return

    await asyncio.gather(
        with_outbox.pull("a", "outbox", ids=["e1"]),
        append("e4"),
        with_outbox.pull("a", "outbox", ids=["e2"]),
        append("e5"),
    )
    stored = await with_outbox.get("a")
    assert stored is not None
    assert {event["id"] for event in stored["outbox"]} >= {"e4", "e5"}
    assert stored["version"] == 3


# ---------------------------------------------------------------- delete


async def test_delete_removes_the_document_and_returns_true(docs: Collection) -> None:
    await docs.insert({"_id": "a"})
    assert await docs.delete("a") is True
    assert await docs.get("a") is None


async def test_delete_of_a_missing_document_returns_false(docs: Collection) -> None:
    assert await docs.delete("nadie") is False


async def test_deleted_id_can_be_inserted_again(docs: Collection) -> None:
    await docs.insert({"_id": "a", "n": 1})
    await docs.delete("a")
    await docs.insert({"_id": "a", "n": 2})
    assert await docs.get("a") == {"_id": "a", "n": 2}


# ---------------------------------------------------------------- persistence


async def test_documents_persist_after_close_and_reopen(
    store: Store, open_store: OpenStore
) -> None:
    await store.collection("docs").insert({"_id": "a", "t": ["x"], "n": 1})
    await store.close()
    reopened = await open_store()
    assert await reopened.collection("docs").get("a") == {"_id": "a", "t": ["x"], "n": 1}


async def test_array_semantics_persist_after_reopen(store: Store, open_store: OpenStore) -> None:
    await store.collection("docs").insert({"_id": "a", "t": ["x", "y"]})
    await store.close()
    reopened = await open_store()
    assert await matching(reopened.collection("docs"), {"t": "y"}) == {"a"}


async def test_unique_index_persists_after_reopen(store: Store, open_store: OpenStore) -> None:
    await store.collection("docs").create_index([("k", 1)], unique=True)
    await store.collection("docs").insert({"_id": "a", "k": 1})
    await store.close()
    reopened = await open_store()
    with pytest.raises(DuplicateKeyError):
        await reopened.collection("docs").insert({"_id": "b", "k": 1})


async def test_close_is_idempotent(store: Store) -> None:
    await store.close()
    await store.close()
