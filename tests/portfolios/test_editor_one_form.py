"""Either Save of the project editor keeps what was typed in the image list and in the details.

The tests submit the page as a browser would: the fields of the pressed button's form."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from app.accounts.models import User
from app.extensions import db
from app.portfolios.models import Project
from tests.conftest import Client
from tests.portfolios.factories import make_project
from tests.portfolios.test_upload_limits import images


class _Form(HTMLParser):
    """Collects the forms, fields and submit buttons of a page, with the form each belongs to."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, str] = {}  # id -> action
        self.fields: list[tuple[str, str, str]] = []  # (form id, name, value)
        self.buttons: list[dict[str, Any]] = []
        self._open: str | None = None
        self._text: dict[str, Any] | None = None
        self._n = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._n += 1
            self._open = a.get("id") or f"form-{self._n}"
            self.forms[self._open] = a.get("action", "")
            return
        owner = a.get("form") or self._open or ""
        if tag == "input" and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") not in ("submit", "file"):
                self.fields.append((owner, a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._text = {"form": owner, "name": a["name"], "value": ""}
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._text = {"form": owner, "button": a, "value": ""}

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text["value"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None
        elif tag in ("textarea", "button") and self._text is not None:
            if tag == "textarea":
                self.fields.append((self._text["form"], self._text["name"], self._text["value"]))
            else:
                self.buttons.append(self._text)
            self._text = None

    def press(self, label: str, **typed: str) -> tuple[str, dict[str, Any]]:
        """The URL and body a browser posts when `label` is pressed after typing `typed`."""
        button = next(b for b in self.buttons if b["value"].strip() == label)
        form = button["form"]
        data: dict[str, Any] = {}
        for owner, name, value in self.fields:
            if owner == form:
                data.setdefault(name, [])
                data[name].append(typed.get(name, value))
        if button["button"].get("name"):
            data[button["button"]["name"]] = button["button"].get("value", "")
        return button["button"].get("formaction") or self.forms[form], data


def _editor(client: Client, project: Project) -> _Form:
    parser = _Form()
    parser.feed(client.get(f"/me/projects/{project.id}").get_data(as_text=True))
    return parser


@pytest.mark.usefixtures("app")
def test_the_details_save_keeps_typed_alt_text(client: Client, designer: User) -> None:
    project = make_project(designer, title="Đèn lồng", images=2, published=False)
    for image in project.images:
        image.alt_text = ""
    db.session.commit()
    first = project.images[0].id
    client.login_as(designer)
    url, data = _editor(client, project).press(
        "Save", **{f"alt-{first}": "Đèn lồng đỏ trên phố Hàng Mã", "title": "Đèn lồng phố cổ"}
    )
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert saved is not None
    assert saved.title == "Đèn lồng phố cổ"
    assert saved.images[0].alt_text == "Đèn lồng đỏ trên phố Hàng Mã"


@pytest.mark.usefixtures("app")
def test_the_image_buttons_keep_the_typed_details(client: Client, designer: User) -> None:
    project = make_project(designer, title="Đèn lồng", images=2, published=False)
    db.session.commit()
    second = project.images[1].id
    client.login_as(designer)
    url, data = _editor(client, project).press(
        "Move image 2 up", credits="Ảnh: Trần Văn Bình", **{f"alt-{second}": "Bản phác thảo"}
    )
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert saved is not None
    assert saved.credits == "Ảnh: Trần Văn Bình"
    assert saved.images[0].id == second
    assert saved.images[0].alt_text == "Bản phác thảo"


@pytest.mark.usefixtures("app")
def test_an_invalid_detail_keeps_the_typed_alt_text_on_the_page(
    client: Client, designer: User
) -> None:
    project = make_project(designer, title="Đèn lồng", images=1, published=False)
    db.session.commit()
    first = project.images[0].id
    client.login_as(designer)
    url, data = _editor(client, project).press(
        "Save", title="", **{f"alt-{first}": "Giấy dó và tre"}
    )
    response = client.post(url, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Giấy dó và tre"' in page


def _visible_buttons(parser: _Form) -> list[str]:
    return [b["value"].strip() for b in parser.buttons if "aria-hidden" not in b["button"]]


@pytest.mark.usefixtures("app")
def test_the_editor_has_one_save(client: Client, designer: User) -> None:
    project = make_project(designer, title="Đèn lồng", images=2, published=False)
    db.session.commit()
    client.login_as(designer)
    labels = _visible_buttons(_editor(client, project))
    assert labels.count("Save") == 1
    assert not any("Save descriptions" in label for label in labels)


@pytest.mark.usefixtures("app")
def test_uploading_several_images_keeps_the_typed_details_and_alt_texts(
    client: Client, designer: User
) -> None:
    project = make_project(designer, title="Đèn lồng", images=1, published=False)
    db.session.commit()
    first = project.images[0].id
    client.login_as(designer)
    url, data = _editor(client, project).press(
        "Upload", title="Đèn lồng Hội An", **{f"alt-{first}": "Đèn lồng lụa vàng"}
    )
    assert url.endswith(f"/me/projects/{project.id}/images")
    data["images"] = images(3)
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert saved is not None
    assert saved.title == "Đèn lồng Hội An"
    assert len(saved.images) == 4
    assert saved.images[0].alt_text == "Đèn lồng lụa vàng"


@pytest.mark.usefixtures("app")
def test_an_upload_without_files_keeps_the_typed_text(client: Client, designer: User) -> None:
    project = make_project(designer, title="Đèn lồng", images=1, published=False)
    db.session.commit()
    first = project.images[0].id
    client.login_as(designer)
    url, data = _editor(client, project).press(
        "Upload", credits="Ảnh: Lê Thu", **{f"alt-{first}": "Giấy dó <script>x</script>"}
    )
    response = client.post(url, data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose one or more images to add." in page
    assert 'value="Giấy dó &lt;script&gt;x&lt;/script&gt;"' in page
    assert "Ảnh: Lê Thu" in page


@pytest.mark.usefixtures("app")
def test_drag_and_drop_posts_the_new_order_with_the_typed_text(
    client: Client, designer: User
) -> None:
    project = make_project(designer, title="Đèn lồng", images=3, published=False)
    db.session.commit()
    a, b, c = (image.id for image in project.images)
    client.login_as(designer)
    # What static/js/editor.js posts: the editor's form, with action "order:<ids>".
    _url, data = _editor(client, project).press("Save", **{f"alt-{b}": "Khung tre"})
    data["action"] = f"order:{c},{a},{b},999999"  # an id of no image of the project: ignored
    response = client.post(f"/me/projects/{project.id}/images/manage", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert saved is not None
    assert [image.id for image in saved.images] == [c, a, b]
    assert saved.images[2].alt_text == "Khung tre"
    assert "Images reordered." in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.usefixtures("app")
def test_save_also_uploads_the_chosen_images(client: Client, designer: User) -> None:
    project = make_project(designer, title="Đèn lồng", images=1, published=False)
    db.session.commit()
    first = project.images[0].id
    client.login_as(designer)
    url, data = _editor(client, project).press("Save", **{f"alt-{first}": "Lồng đèn giấy"})
    data["images"] = images(2, start=40)
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your project is saved." in page
    assert "2 images added." in page
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert saved is not None
    assert len(saved.images) == 3
    assert saved.images[0].alt_text == "Lồng đèn giấy"


@pytest.mark.usefixtures("app")
def test_save_with_too_many_images_keeps_the_typed_text(client: Client, designer: User) -> None:
    project = make_project(designer, title="Đèn lồng", images=19, published=False)
    db.session.commit()
    first = project.images[0].id
    client.login_as(designer)
    url, data = _editor(client, project).press(
        "Save", credits="Ảnh: Lê Thu", **{f"alt-{first}": "Lồng đèn giấy"}
    )
    data["images"] = images(2, start=50)
    response = client.post(url, data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "there is room for 1 more" in page
    assert 'value="Lồng đèn giấy"' in page
    assert "Ảnh: Lê Thu" in page
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert saved is not None
    assert len(saved.images) == 19
    assert saved.credits != "Ảnh: Lê Thu"
