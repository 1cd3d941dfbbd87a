"""The official anthropic SDK, pointed at Warden with an OIDC token as its API key."""
import base64
import concurrent.futures
import gzip
import json
import urllib.error
import urllib.request

import anthropic
import pytest


def body_bytes(record_body):
    if record_body["encoding"] == "utf8":
        return record_body["data"].encode()
    return base64.b64decode(record_body["data"])


def test_non_streaming_round_trip_is_recorded_byte_for_byte(deployment):
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("alice", "--name", "Alice"))
    raw = client.messages.with_raw_response.create(
        model="claude-opus-4-6", max_tokens=64, messages=[{"role": "user", "content": "hello through warden"}]
    )
    message = raw.parse()
    assert message.content[0].text.startswith("Simulated reply to: hello through warden")
    exchange_id = raw.headers["warden-exchange-id"]

    record = deployment.cli_json("exchanges", "show", exchange_id)
    upstream = deployment.upstream_requests()[-1]
    assert base64.b64decode(upstream["body_base64"]) == body_bytes(record["request_body"])
    assert body_bytes(record["response_body"]) == raw.http_response.content
    sent = {name.lower(): value for name, value in upstream["headers"]}
    assert sent["x-api-key"] == deployment.upstream_key
    assert "authorization" not in sent
    assert record["principal"]["subject"] == "alice"
    assert record["principal"]["display_name"] == "Alice"
    assert record["outcome"] == "complete"
    assert record["usage"]["output_tokens"] == message.usage.output_tokens


def test_streaming_with_the_sdk_helper(deployment):
    client = anthropic.Anthropic(base_url=deployment.base_url, auth_token=deployment.token("bob"))
    with client.messages.stream(
        model="claude-haiku-4-5", max_tokens=64, messages=[{"role": "user", "content": "stream to me"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
        exchange_id = stream.response.headers["warden-exchange-id"]
    assert text.startswith("Simulated reply to: stream to me")
    record = deployment.cli_json("exchanges", "show", exchange_id)
    assert record["streamed"] is True
    assert record["outcome"] == "complete"
    assert record["message"]["content"][0]["text"] == text
    assert record["stop_reason"] == final.stop_reason
    raw_stream = body_bytes(record["response_body"])
    assert raw_stream.startswith(b"event: message_start\n")
    assert sum(length for _, length, _ in record["events"]) == len(raw_stream)


def test_sdk_tool_use_stream_reassembles_tool_input(deployment):
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("carol"))
    tools = [{"name": "read_file", "description": "Read a file", "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}}}]
    with client.messages.stream(
        model="claude-opus-4-6", max_tokens=64, tools=tools,
        messages=[{"role": "user", "content": "please use a tool to read README.md"}],
    ) as stream:
        final = stream.get_final_message()
        exchange_id = stream.response.headers["warden-exchange-id"]
    tool_blocks = [block for block in final.content if block.type == "tool_use"]
    assert tool_blocks
    record = deployment.cli_json("exchanges", "show", exchange_id)
    recorded_tools = [block for block in record["message"]["content"] if block["type"] == "tool_use"]
    assert recorded_tools[0]["input"] == tool_blocks[0].input


def test_refused_token_raises_authentication_error_without_retries(deployment):
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key="sk-ant-api03-a-real-looking-key", max_retries=2)
    with pytest.raises(anthropic.AuthenticationError) as failure:
        client.messages.create(model="claude-opus-4-6", max_tokens=8, messages=[{"role": "user", "content": "x"}])
    assert failure.value.status_code == 401
    assert failure.value.response.headers["x-should-retry"] == "false"
    assert deployment.upstream_requests() == []


def test_upstream_errors_reach_the_sdk_unchanged(deployment):
    client = anthropic.Anthropic(base_url=deployment.base_url, api_key=deployment.token("dave"), max_retries=0)
    with pytest.raises(anthropic.InternalServerError) as failure:
        client.messages.create(model="claude-opus-4-6", max_tokens=8, messages=[{"role": "user", "content": "simulate:overloaded"}])
    assert failure.value.status_code == 529
    assert failure.value.body["error"]["type"] == "overloaded_error"


def test_claude_code_style_raw_http_with_gzip_and_both_credential_headers(deployment):
    token = deployment.token("erin")
    body = json.dumps({
        "model": "claude-opus-4-6", "max_tokens": 32000, "stream": True,
        "messages": [{"role": "user", "content": "refactor the parser"}],
        "system": [{"type": "text", "text": "x-anthropic-billing-header: cc_version=2.1.117.48f; cc_entrypoint=cli; cch=71fea;"}],
        "context_management": {"edits": [{"type": "clear_thinking_20251015", "keep": "all"}]},
        "metadata": {"user_id": json.dumps({"device_id": "ab", "account_uuid": "", "session_id": "54c1eb09-bc4c-4d2f-98eb-6d2ab2d5e2fe"})},
    }, separators=(",", ":")).encode()
    compressed = gzip.compress(body)
    request = urllib.request.Request(f"{deployment.base_url}/v1/messages?beta=true", data=compressed, method="POST")
    for name, value in [
        ("Content-Type", "application/json"), ("Content-Encoding", "gzip"), ("anthropic-version", "2023-06-01"),
        ("anthropic-beta", "claude-code-20250219,context-management-2025-06-27,effort-2025-11-24"),
        ("anthropic-dangerous-direct-browser-access", "true"), ("x-app", "cli"), ("User-Agent", "claude-cli/2.1.69 (external, cli)"),
        ("X-Claude-Code-Session-Id", "54c1eb09-bc4c-4d2f-98eb-6d2ab2d5e2fe"), ("X-Stainless-Lang", "js"),
        ("Authorization", f"Bearer {token}"), ("X-Api-Key", token),
    ]:
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=30) as response:
        streamed = response.read()
        exchange_id = response.headers["Warden-Exchange-Id"]
    assert b"event: message_stop" in streamed
    upstream = deployment.upstream_requests()[-1]
    assert upstream["uri"] == "/v1/messages?beta=true"
    assert base64.b64decode(upstream["body_base64"]) == compressed
    sent = {name.lower(): value for name, value in upstream["headers"]}
    assert sent["anthropic-beta"] == "claude-code-20250219,context-management-2025-06-27,effort-2025-11-24"
    assert sent["x-claude-code-session-id"] == "54c1eb09-bc4c-4d2f-98eb-6d2ab2d5e2fe"
    assert sent["content-encoding"] == "gzip"
    assert token not in json.dumps(upstream)
    record = deployment.cli_json("exchanges", "show", exchange_id)
    assert body_bytes(record["request_body"]) == body
    assert record["request_content_encoding"] == "gzip"
    assert record["session_source"] == "claude_code"
    assert record["session_key"] == "54c1eb09-bc4c-4d2f-98eb-6d2ab2d5e2fe"
    assert body_bytes(record["response_body"]) == streamed


def test_unknown_paths_are_404_in_anthropic_format(deployment):
    request = urllib.request.Request(f"{deployment.base_url}/v1/organizations/keys", headers={"x-api-key": deployment.token("frank")})
    with pytest.raises(urllib.error.HTTPError) as failure:
        urllib.request.urlopen(request, timeout=10)
    assert failure.value.code == 404
    assert json.loads(failure.value.read())["error"]["type"] == "not_found_error"
    assert deployment.upstream_requests() == []


def test_concurrent_sessions_from_several_identities(deployment):
    people = {name: deployment.token(name) for name in ["ann", "ben", "cid"]}

    def conversation(name):
        client = anthropic.Anthropic(base_url=deployment.base_url, api_key=people[name],
                                     default_headers={"X-Claude-Code-Session-Id": f"session-of-{name}"})
        for turn in range(4):
            client.messages.create(model="claude-opus-4-6", max_tokens=16, stream=False,
                                   messages=[{"role": "user", "content": f"{name} turn {turn}"}])
        return name

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        assert sorted(pool.map(conversation, people)) == sorted(people)
    for name in people:
        sessions = deployment.cli_json("sessions", "list", "--user", name)
        assert len(sessions) == 1
        assert sessions[0]["exchange_count"] == 4
        assert sessions[0]["external_key"] == f"session-of-{name}"


def test_streams_keep_the_connection_for_the_next_call(deployment):
    """Claude Code streams every call: each must not cost a new connection (and, with TLS, a new handshake)."""
    import http.client

    token = deployment.token("alice")
    connection = http.client.HTTPConnection("127.0.0.1", deployment.port, timeout=30)
    sockets = []
    for prompt in ("first", "second", "third"):
        body = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": 32, "stream": True,
                           "messages": [{"role": "user", "content": prompt}]})
        connection.request("POST", "/v1/messages", body=body, headers={
            "Authorization": f"Bearer {token}", "anthropic-version": "2023-06-01", "content-type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200
        assert (response.getheader("connection") or "").lower() != "close"
        events = response.read().decode()
        assert "event: message_stop" in events
        sockets.append(connection.sock)
    assert sockets[0] is not None and all(sock is sockets[0] for sock in sockets)
    connection.close()
    exported = deployment.export()
    assert [record["outcome"] for record in exported] == ["complete"] * 3
