"""GraphQL over HTTP: methods, media types, status codes and error codes."""

from __future__ import annotations

import httpx

QUERY = "{ products(first: 1) { nodes { id } } }"


async def test_post_json(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": QUERY})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert len(response.json()["data"]["products"]["nodes"]) == 1


async def test_get_query_with_variables(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql",
        params={
            "query": "query($n: Int) { products(first: $n) { nodes { id } } }",
            "variables": '{"n": 2}',
        },
    )
    assert response.status_code == 200
    assert len(response.json()["data"]["products"]["nodes"]) == 2


async def test_graphql_response_json_is_negotiated(client: httpx.AsyncClient) -> None:
    accept = {"accept": "application/graphql-response+json, application/json;q=0.9"}
    ok = await client.post("/graphql", json={"query": QUERY}, headers=accept)
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("application/graphql-response+json")
    invalid = await client.post("/graphql", json={"query": "{ nope }"}, headers=accept)
    assert invalid.status_code == 400
    assert invalid.json()["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert "data" not in invalid.json()


async def test_validation_error_under_application_json_is_200(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ nope }"})
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


async def test_mutation_over_get_is_405(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": 'mutation { deleteProduct(id: "prod_x") { deletedId } }'}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_malformed_requests_are_400(client: httpx.AsyncClient) -> None:
    bad_json = await client.post(
        "/graphql", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 400
    assert bad_json.json()["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    no_query = await client.post("/graphql", json={"variables": {}})
    assert no_query.status_code == 400
    bad_variables = await client.post("/graphql", json={"query": QUERY, "variables": [1]})
    assert bad_variables.status_code == 400
    wrong_type = await client.post(
        "/graphql", content=QUERY, headers={"content-type": "text/plain"}
    )
    assert wrong_type.status_code == 400


async def test_unacceptable_accept_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": QUERY}, headers={"accept": "text/csv"})
    assert response.status_code == 406


async def test_graphiql_for_browsers(client: httpx.AsyncClient) -> None:
    browser = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for params in ({}, {"query": "{ products(first: 1) { nodes { id } } }"}):
        response = await client.get("/graphql", params=params, headers=browser)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert "graphiql" in response.text.lower()


async def test_too_deep_query_is_refused_before_execution(client: httpx.AsyncClient) -> None:
    deep = "{ customers(first: 1) { nodes { " + "orders(first: 1) { nodes { customer { " * 5
    deep += "id" + " } } }" * 5 + " } } }"
    response = await client.post("/graphql", json={"query": deep})
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "data" not in body


async def test_bad_variable_type_is_validation_failed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql",
        json={
            "query": "query($n: Int) { products(first: $n) { nodes { id } } }",
            "variables": {"n": "x"},
        },
    )
    assert response.json()["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


async def test_page_size_above_maximum_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ products(first: 101) { nodes { id } } }"}
    )
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["errors"][0]["field"] == "first"


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.post(
        "/graphql", json={"query": QUERY}, headers={"x-request-id": "abc-123"}
    )
    assert given.headers["x-request-id"] == "abc-123"
    made = await client.post(
        "/graphql", json={"query": QUERY}, headers={"x-request-id": "bad id!\n"}
    )
    assert made.headers["x-request-id"] != "bad id!\n"
    assert len(made.headers["x-request-id"]) == 32


async def test_alias_and_token_limits_are_query_too_complex(client: httpx.AsyncClient) -> None:
    aliases = (
        "{ " + " ".join(f"a{i}: products(first: 1) {{ nodes {{ id }} }}" for i in range(40)) + " }"
    )
    body = (await client.post("/graphql", json={"query": aliases})).json()
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    tokens = "{ products(first: 1) { nodes { " + "id " * 3000 + "} } }"
    body = (await client.post("/graphql", json={"query": tokens})).json()
    assert body["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # A field that merely mentions the words is an ordinary validation error.
    body = (await client.post("/graphql", json={"query": "{ tokens aliases }"})).json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


async def test_an_unknown_operation_name_is_a_400(client: httpx.AsyncClient) -> None:
    """Issue 9.5: an unknown `operationName` was a text/plain 500 on a closed connection."""
    query = "query Q { products(first: 1) { nodes { id } } }"
    response = await client.post("/graphql", json={"query": query, "operationName": "Nope"})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert "no operation named `Nope`" in body["errors"][0]["message"]
