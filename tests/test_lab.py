"""`make lab`'s server, as a reader meets it: the chapters open as notebooks and run on the book's kernel.

The test starts the pinned environment's Jupyter server on loopback, asks its contents API for a
chapter's MyST source as a notebook, and executes that notebook cell by cell through a kernel the
server starts (the Jupyter messaging protocol over the server's websocket). It shuts the server down
itself, whatever happens.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.paths import REPO_ROOT

pytestmark = pytest.mark.build
KERNEL = "csto-book"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, port: int, token: str) -> None:
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def request(self, method: str, path: str, body: dict | None = None) -> dict:
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            text = resp.read().decode()
        return json.loads(text) if text else {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    home = tmp_path_factory.mktemp("jupyter-home")
    args = [str(jupyter), "server", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO_ROOT}",
            "--ServerApp.port_retries=0"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "JUPYTER_DATA_DIR": str(home / "data")}
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    srv = Server(port, token)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                srv.request("GET", "/api/status")
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out = proc.stdout.read().decode() if proc.stdout else ""
                    pytest.fail(f"the Jupyter server did not start:\n{out[-3000:]}")
                time.sleep(0.5)
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_the_server_listens_on_loopback_only(server: Server) -> None:
    assert server.base.startswith("http://127.0.0.1:")
    assert KERNEL in server.request("GET", "/api/kernelspecs")["kernelspecs"]


def test_a_chapter_opens_as_a_notebook_with_the_books_kernel(server: Server) -> None:
    model = server.request("GET", "/api/contents/chapters/origins.md?type=notebook&content=1")
    assert model["type"] == "notebook"
    nb = model["content"]
    assert nb["metadata"]["kernelspec"]["name"] == KERNEL
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code[0]["metadata"].get("tags") == ["parameters", "remove-cell"]


async def _execute(server: Server, kernel_id: str, cells: list[str]) -> list[dict]:
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    ws = await websocket_connect(f"{server.base.replace('http', 'ws')}/api/kernels/{kernel_id}/channels"
                                 f"?session_id={session}&token={server.token}")
    replies = []
    try:
        for code in cells:
            msg_id = uuid.uuid4().hex
            await ws.write_message(json.dumps({
                "header": {"msg_id": msg_id, "username": "test", "session": session, "msg_type": "execute_request",
                           "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                            "allow_stdin": False, "stop_on_error": True},
            }))
            outputs = []
            while True:
                msg = json.loads(await asyncio.wait_for(ws.read_message(), timeout=300))
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] in ("display_data", "execute_result", "error", "stream"):
                    outputs.append(msg)
                if msg["msg_type"] == "execute_reply":
                    replies.append({"status": msg["content"]["status"], "outputs": outputs,
                                    "error": msg["content"].get("evalue", "")})
                    break
    finally:
        ws.close()
    return replies


def test_the_notebook_runs_through_the_servers_kernel(server: Server) -> None:
    nb = server.request("GET", "/api/contents/chapters/conclusion.md?type=notebook&content=1")["content"]
    session = server.request("POST", "/api/sessions", {"path": "chapters/conclusion.md", "type": "notebook",
                                                       "name": "conclusion.md", "kernel": {"name": KERNEL}})
    try:
        cells = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                 for c in nb["cells"] if c["cell_type"] == "code"]
        replies = asyncio.run(_execute(server, session["kernel"]["id"], cells))
        failed = [(i, r["error"]) for i, r in enumerate(replies) if r["status"] != "ok"]
        assert not failed, f"cells failed in the server's kernel: {failed}"
        assert len(replies) == len(cells)
        glued = sum(1 for r in replies for o in r["outputs"]
                    if o["msg_type"] == "display_data" and "scrapbook" in o["content"].get("metadata", {}))
        assert glued > 0, "the facts cell glued nothing"
        assert any(any(k.startswith("text/markdown") for k in o["content"].get("data", {}))
                   for r in replies for o in r["outputs"]), "the tables and source lists did not display"
    finally:
        server.request("DELETE", f"/api/sessions/{session['id']}")


def test_a_chapter_saved_in_jupyterlab_without_an_edit_is_byte_identical(server: Server) -> None:
    """Open a chapter as a notebook through the server's contents API and save it back unedited, as
    JupyterLab's autosave does: the file is byte for byte the book's (on a copy, inside the server's root)."""
    import shutil

    folder = REPO_ROOT / "_build" / "lab-roundtrip"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        for name in ("origins", "failures", "conclusion"):
            source = REPO_ROOT / "chapters" / f"{name}.md"
            copy = folder / f"{name}.md"
            shutil.copyfile(source, copy)
            path = copy.relative_to(REPO_ROOT).as_posix()
            model = server.request("GET", f"/api/contents/{path}?type=notebook&content=1")
            server.request("PUT", f"/api/contents/{path}",
                           {"type": "notebook", "format": "json", "content": model["content"]})
            assert copy.read_bytes() == source.read_bytes(), f"saving {name}.md unedited changed it"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
