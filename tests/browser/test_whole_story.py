"""The whole story of the network in one browser journey, moving only by the links and buttons
a person sees (issue 11, "A browser journey in tests/").

A designer signs up, verifies from the emailed link, is approved from the moderators' queue,
adds an avatar and a project with described images; an organiser publishes a call and invites a
juror, who is told by email, accepts, and finds the work from the navigation; the designer
applies, is scored, accepted and told; sees the decision and the credit; messages the
organiser; reports the call, which a moderator hides, the organiser appeals and an admin
restores; the designer is suspended (and cannot log in, and reads why), lifted, downloads their
data and deletes the account. Then a second designer's project, application, emails and a
report still work (on SQLite the deleted rows' ids must not come back to haunt the new ones).

Each person has a browser context of their own and logs in through the form; An (the
designer) uses a phone-width window, the others a desktop one. `page.goto` is used only for
`/` and for links read from emails (a person's mail client).
Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import timedelta
from typing import Any

from flask import Flask
from PIL import Image
from playwright.sync_api import expect

from app.accounts.models import AccountType, StaffRole
from app.db_types import utcnow
from app.extensions import db
from demo.artworks import draw
from tests.browser.conftest import LiveServer, screenshot
from tests.browser.mailbox import Mail
from tests.factories import PASSWORD, make_user

CALL = "Hanoi Creative Design Festival: Young Designers 2026"
AN_PASSWORD = "lacquer and silk 2019"
AN_EMAIL = "an@example.org"


def png(kind: str, palette: int, size: tuple[int, int] = (900, 700)) -> bytes:
    return draw(kind, palette, seed=palette, size=size)[0]


def jpeg_portrait() -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(png("concentric", 4, (640, 640)))).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def log_in(page: Any, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def nav(page: Any, name: str) -> None:
    main = page.get_by_role("navigation", name="Main")
    link = main.get_by_role("link", name=name)
    menu = main.locator("summary")  # on a phone the links fold behind "Menu"
    if not link.is_visible() and menu.is_visible():
        menu.click()
    link.click()


def open_account(page: Any, name: str) -> None:
    """The account page, from the header (folded into a menu under the person's initials)."""
    toggle = page.get_by_title(name, exact=True)
    if toggle.count():
        toggle.first.click()
        page.get_by_role("link", name="Your account").click()
    else:
        page.get_by_role("banner").get_by_role("link", name=name).click()


def flash(page: Any, text: str) -> None:
    expect(page.get_by_text(text).first).to_be_visible()


def load_images(page: Any) -> None:
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.wait_for_load_state("networkidle")


def images_loaded(page: Any, selector: str) -> list[int]:
    """Natural widths of the images matching `selector` (0 means a broken image)."""
    load_images(page)
    widths: list[int] = page.locator(selector).evaluate_all(
        "els => els.map(e => e.complete ? e.naturalWidth : 0)"
    )
    return widths


def cast(app: Flask) -> None:
    """The people already there: staff, an organiser, a juror and a second designer."""
    with app.app_context():
        make_user(
            handle="mod-khang",
            email="khang@example.org",
            display_name="Phạm Minh Khang",
            staff_role=StaffRole.MODERATOR,
        )
        make_user(
            handle="admin-hanh",
            email="hanh@example.org",
            display_name="Lê Thu Hạnh",
            staff_role=StaffRole.ADMIN,
        )
        make_user(
            handle="hcdc",
            email="hcdc@example.org",
            display_name="Nguyễn Hồng Quân",
            account_type=AccountType.ORGANISER,
            organisation="Trung tâm Thiết kế Sáng tạo Hà Nội",
        )
        make_user(handle="juror-lan", email="lan@example.org", display_name="Đặng Ngọc Lan")
        make_user(
            handle="tran-duc",
            email="duc@example.org",
            display_name="Trần Minh Đức",
            city="Huế",
            country="VN",
        )
        db.session.commit()


def test_the_whole_story_from_sign_up_to_deletion_and_after(
    live_server: LiveServer, live_app: Flask, page_factory: Any
) -> None:
    base = live_server.url
    mail = Mail(live_app)
    cast(live_app)

    # 1. An signs up as a designer and confirms the address from the email.
    an = page_factory(390)  # An does everything on a phone
    an.goto(base + "/")
    an.get_by_role("link", name="Join", exact=True).click()
    an.get_by_label("A designer").check()
    an.get_by_label("Your name").fill("Nguyễn Văn An")
    an.get_by_label("Handle").fill("nguyen-van-an")
    an.get_by_label("Email").fill(AN_EMAIL)
    an.get_by_label("Password").fill(AN_PASSWORD)
    an.get_by_role("button", name="Create my account").click()
    flash(an, f"We sent a link to {AN_EMAIL}")
    verify = mail.one(AN_EMAIL, "Confirm your email address")
    an.goto(Mail.link(verify, base))
    an.get_by_role("button", name="Confirm my address").click()
    flash(an, "your email address is confirmed")
    # An lands on their home: the first steps, and the approval that waits.
    expect(an.get_by_role("heading", name="First steps")).to_be_visible()
    expect(an.get_by_text("0 of 2 done")).to_be_visible()
    flash(an, "Your profile is waiting for a moderator")

    # 2. A moderator approves An from the dashboard's queue.
    khang = page_factory()
    log_in(khang, base, "khang@example.org")
    nav(khang, "Moderation")
    khang.get_by_role("link", name="Designers waiting for approval").click()
    card = khang.get_by_role("listitem").filter(has_text="Nguyễn Văn An")
    card.get_by_role("button", name="Approve").click()
    flash(khang, "Approved. The person was told by email.")
    mail.one(AN_EMAIL, "your profile is approved")

    # 3. An completes the profile with a portrait: the public pages show it.
    an.goto(base + "/")
    expect(an.get_by_text("Your profile is waiting for a moderator")).to_have_count(0)
    nav(an, "My home")
    an.get_by_role("link", name="Complete your profile").click()
    an.get_by_label("About you").fill("Thiết kế đồ hoạ lấy cảm hứng từ **gốm Bát Tràng**.")
    an.get_by_label("City").fill("Hà Nội")
    an.get_by_label("Portrait or logo").set_input_files(
        {"name": "an.jpg", "mimeType": "image/jpeg", "buffer": jpeg_portrait()}
    )
    an.get_by_role("button", name="Save profile").click()
    flash(an, "Your profile is saved.")  # on the public portfolio
    expect(an.get_by_role("heading", name="Nguyễn Văn An", level=1)).to_be_visible()
    expect(an.get_by_text("gốm Bát Tràng")).to_be_visible()
    # The directory and the home page show people with portraits too.
    nav(an, "Designers")
    expect(an.get_by_role("link", name=re.compile("Nguyễn Văn An")).first).to_be_visible()
    # Home is the network's name at the top left, as on most sites.
    an.locator("a.brand").click()
    expect(an.get_by_text("Something went wrong")).to_have_count(0)

    # 4. A project with two described images, published.
    nav(an, "My portfolio")
    an.get_by_role("link", name="Add a project").click()
    an.get_by_label("Title").fill("Gốm men lam phố cổ")
    an.get_by_label("Description").fill("Hoa văn **men lam** trên những ngôi nhà ống.")
    an.get_by_label("Images").set_input_files(
        [
            {"name": "lam.png", "mimeType": "image/png", "buffer": png("truchet", 1)},
            {"name": "vom.png", "mimeType": "image/png", "buffer": png("arches", 2)},
        ]
    )
    an.get_by_role("button", name="Create the project").click()
    flash(an, "2 images still need a description")
    an.get_by_label("Description of image 1 (alt text)").fill("Hoa văn men lam xanh trên nền trắng")
    an.get_by_label("Description of image 2 (alt text)").fill("Dãy vòm cửa phố cổ lúc chiều")
    an.get_by_role("button", name="Save", exact=True).click()
    flash(an, "Your project is saved.")
    an.get_by_role("button", name="Publish").click()
    flash(an, "Your project is published.")
    nav(an, "My portfolio")
    an.get_by_role("link", name="View your page").click()
    assert all(images_loaded(an, "main img")), "a broken image on the portfolio"
    screenshot(an, "story-portfolio-with-avatar")

    # 5. The organiser drafts a call, invites Lan to the jury and publishes.
    quan = page_factory()
    log_in(quan, base, "hcdc@example.org")
    nav(quan, "Calls")
    quan.get_by_role("link", name="Draft a call").click()
    quan.get_by_label("Kind").select_option("festival")
    quan.get_by_label("Title", exact=True).fill(CALL)
    quan.get_by_label("Summary").fill("Show one project at the festival in Hà Nội.")
    quan.get_by_label("Description").fill("We look for **work rooted in Hà Nội**.")
    deadline = (utcnow() + timedelta(days=12)).date().isoformat()
    quan.get_by_label("Deadline day", exact=True).fill(deadline)
    quan.get_by_role("button", name="Save as draft").click()
    flash(quan, "Your call is saved as a draft")
    quan.get_by_label("Handle or email").fill("juror-lan")
    quan.get_by_role("button", name="Invite to the jury").click()
    flash(quan, "Đặng Ngọc Lan is invited to the jury.")
    expect(quan.locator("#jury").get_by_text("Invited", exact=True)).to_be_visible()
    quan.get_by_role("button", name="Publish").click()
    flash(quan, "The call is published.")

    # 6. Lan is told by email, with a link to the invitation (accept or decline).
    invitation = mail.one("lan@example.org", "An invitation to the jury of")
    assert CALL in str(invitation["Subject"])
    invitation_link = Mail.link(invitation, base)
    assert re.search(r"/jury/invitations/\d+$", invitation_link), invitation_link

    # 7. An applies with the project.
    nav(an, "Calls")
    an.get_by_role("link", name=CALL).click()
    flash(an, "You are eligible")
    an.get_by_role("link", name="Apply", exact=True).click()
    an.get_by_label("Statement").fill("Tôi muốn đưa men lam Bát Tràng vào phố.")
    an.get_by_label("Gốm men lam phố cổ").check()
    an.get_by_role("button", name="Submit my application").click()
    flash(an, "Your application is submitted")
    mail.one(AN_EMAIL, "was received")

    # 8. Lan opens the email's link and accepts (only accepted jurors review), then finds the
    # work again from the navigation, and scores. The organiser is told of the answer.
    lan = page_factory()
    log_in(lan, base, "lan@example.org")
    lan.goto(invitation_link)
    lan.get_by_role("button", name="Accept the invitation").click()
    flash(lan, "Welcome to the jury of")
    expect(lan.get_by_role("link", name="Nguyễn Văn An")).to_be_visible()
    mail.one("hcdc@example.org", "An answer from your jury")
    lan.goto(base + "/")
    nav(lan, "My home")
    expect(lan.get_by_text("1 waits for my score")).to_be_visible()
    lan.get_by_role("link", name=CALL).click()
    lan.get_by_role("link", name="Nguyễn Văn An").click()
    lan.get_by_label("4", exact=True).check()
    lan.get_by_label("Overall comment").fill("Men lam rất Hà Nội; bố cục tự tin.")
    lan.get_by_role("button", name="Save my review").click()
    flash(lan, "Your review was saved.")
    # Lan also reports An's project (a doubt about its source) from its page.
    lan.get_by_role("link", name="Gốm men lam phố cổ").click()
    lan.get_by_role("link", name="Report").click()
    lan.get_by_label("Plagiarism or stolen work").check()
    lan.get_by_label("Details (optional)").fill("Tôi từng thấy hoa văn này ở nơi khác.")
    lan.get_by_role("button", name="Send the report").click()
    flash(lan, "Thank you. The moderators will look at it")

    # 9. The organiser reads the review, accepts and notifies.
    nav(quan, "Calls")
    quan.get_by_role("link", name=CALL).click()
    quan.get_by_role("link", name="Manage this call").click()
    quan.get_by_role("link", name="Submissions").click()
    quan.get_by_role("link", name="Nguyễn Văn An").click()
    flash(quan, "Men lam rất Hà Nội")
    quan.get_by_role("combobox", name="Decision").select_option("accepted")
    quan.get_by_label("Message to the applicant (optional)").fill("Chúc mừng An!")
    quan.get_by_role("button", name="Save the decision").click()
    flash(quan, "The decision was saved")
    quan.get_by_role("button", name="Notify applicants").click()
    flash(quan, "1 applicant was notified.")

    # 10. An reads the decision (email, call page, applications) and sees the credit.
    decision = mail.one(AN_EMAIL, "A decision on your application")
    assert CALL in str(decision["Subject"])
    an.goto(Mail.link(decision, base))
    expect(an.get_by_text("Accepted").first).to_be_visible()
    nav(an, "Calls")
    an.get_by_role("link", name=CALL).click()
    expect(an.get_by_text("Accepted").first).to_be_visible()
    expect(an.get_by_text("Submitted", exact=True)).to_have_count(0)
    nav(an, "My home")
    expect(an.get_by_text("Accepted").first).to_be_visible()
    screenshot(an, "story-my-applications-accepted")
    nav(an, "My portfolio")
    an.get_by_role("link", name="View your page").click()
    expect(an.get_by_text(f"Selected — {CALL}").first).to_be_visible()

    # 11. An messages the organiser from the organiser's page.
    nav(an, "Calls")
    an.get_by_role("link", name=CALL).click()
    an.get_by_role("link", name="Trung tâm Thiết kế Sáng tạo Hà Nội").first.click()
    an.get_by_role("link", name="Message the organiser").click()
    an.get_by_role("textbox", name="Message").fill(
        "Cảm ơn anh Quân! Em cần treo tranh lúc mấy giờ?"
    )
    an.get_by_role("button", name="Send").click()
    flash(an, "Your message was sent to Nguyễn Hồng Quân.")
    quan.reload()
    nav(quan, "Messages 1 (1 unread)")
    quan.get_by_role("link", name="Nguyễn Văn An").click()
    flash(quan, "Em cần treo tranh lúc mấy giờ?")

    # 12. An reports the call (a doubt about its fee); a moderator hides it.
    nav(an, "Calls")
    an.get_by_role("link", name=CALL).click()
    an.get_by_role("link", name="Report").click()
    an.get_by_label("A scam or an unfair call").check()
    an.get_by_label("Details (optional)").fill("Lệ phí không được ghi rõ.")
    an.get_by_role("button", name="Send the report").click()
    flash(an, "Thank you. The moderators will look at it")

    nav(khang, "Moderation")
    khang.get_by_role("link", name="Reports", exact=True).first.click()
    khang.get_by_role("link", name=CALL).click()
    flash(khang, "Lệ phí không được ghi rõ.")
    khang.get_by_label("Hide it from the public").check()
    khang.get_by_role("textbox", name="Reason").fill("Lệ phí phải được ghi rõ trong lời mời.")
    khang.get_by_role("button", name="Resolve").click()
    flash(khang, "Reports resolved. Each reporter was told.")
    nav(an, "Calls")
    expect(an.get_by_role("link", name=CALL)).to_have_count(0)
    mail.one("hcdc@example.org", "Some of your content was hidden")
    mail.one(AN_EMAIL, "Your report was handled")

    # 13. The organiser appeals from their account; the admin overturns it.
    open_account(quan, "Nguyễn Hồng Quân")
    quan.get_by_role("link", name="Moderation decisions about you").click()
    flash(quan, "Lệ phí phải được ghi rõ")
    quan.get_by_role("link", name="Appeal this decision").click()
    quan.get_by_label("Why should the decision change?").fill(
        "Lời mời không thu lệ phí; chúng tôi đã ghi rõ trong mô tả."
    )
    quan.get_by_role("button", name="Send the appeal").click()
    flash(quan, "Your appeal is sent.")

    hanh = page_factory()
    log_in(hanh, base, "hanh@example.org")
    nav(hanh, "Moderation")
    hanh.get_by_role("link", name="Appeals").first.click()
    hanh.get_by_role("link", name=re.compile("Nguyễn Hồng Quân")).first.click()
    flash(hanh, "Lời mời không thu lệ phí")
    hanh.get_by_label("Overturn: reverse the decision").check()
    hanh.get_by_role("textbox", name="Reason").fill("Lời mời không thu lệ phí.")
    hanh.get_by_role("button", name="Decide and tell them").click()
    flash(hanh, "The appeal is decided. The person was told.")
    nav(an, "Calls")
    expect(an.get_by_role("link", name=CALL)).to_be_visible()
    mail.one("hcdc@example.org", "Your appeal was decided")

    # 14. A moderator suspends An, found from the log: An cannot log in and reads why.
    nav(khang, "Moderation")
    khang.get_by_role("link", name="Open the log of every action").click()
    khang.get_by_label("Person (handle)").fill("nguyen-van-an")
    khang.get_by_role("button", name="Filter").click()
    khang.get_by_role("link", name="Nguyễn Văn An").first.click()
    khang.get_by_text("Suspend", exact=True).first.click()
    khang.get_by_label("7 days").check()
    khang.get_by_role("textbox", name="Reason").fill("Tin nhắn quảng cáo hàng loạt.")
    khang.get_by_role("button", name="Suspend").click()
    flash(khang, "Suspended. Their sessions have ended.")
    an.goto(base + "/")
    expect(an.get_by_role("link", name="Log in")).to_be_visible()
    an.get_by_role("link", name="Log in").click()
    an.get_by_label("Email").fill(AN_EMAIL)
    an.get_by_label("Password").fill(AN_PASSWORD)
    an.get_by_role("button", name="Log in").click()
    expect(an.get_by_role("heading", name="Your account is suspended")).to_be_visible()
    flash(an, "Tin nhắn quảng cáo hàng loạt.")
    screenshot(an, "story-suspended")
    mail.one(AN_EMAIL, "Your account is suspended")

    # 15. Lifted: An logs in again.
    khang.get_by_label("Note (optional)").fill("Đã trao đổi, An hiểu quy định.")
    khang.get_by_role("button", name="Lift the suspension").click()
    flash(khang, "The suspension is lifted.")
    mail.one(AN_EMAIL, "Your suspension is lifted")
    log_in(an, base, AN_EMAIL, AN_PASSWORD)
    expect(
        an.get_by_title("Nguyễn Văn An").or_(an.get_by_role("button", name="Log out"))
    ).to_be_visible()

    # 16. An downloads the data: a ZIP with the profile and the images, which open as images.
    open_account(an, "Nguyễn Văn An")
    an.get_by_role("link", name="Download your data or delete your account").click()
    # The page says what the archive holds: re-encoded copies, not the uploaded originals.
    expect(an.get_by_text("original images")).to_have_count(0)
    with an.expect_download() as download_info:
        an.get_by_role("link", name="Download my archive").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    assert archive.testzip() is None
    names = archive.namelist()
    profile_files = [n for n in names if re.search(r"profile.*\.json$", n)]
    assert profile_files, names
    profile = json.loads(archive.read(profile_files[0]))
    assert "Nguyễn Văn An" in json.dumps(profile, ensure_ascii=False), profile
    readme = next(n for n in names if n.lower().startswith("readme"))
    assert "originals" not in archive.read(readme).decode(), archive.read(readme)
    images = [n for n in names if n.startswith("files/") and not n.endswith("/")]
    assert len(images) >= 3, names  # the portrait and the project's two images
    for name in images:
        with Image.open(io.BytesIO(archive.read(name))) as image:
            image.verify()

    # 17. An deletes the account.
    an.get_by_label("Your password").fill(AN_PASSWORD)
    an.get_by_label("I understand that my profile, projects and applications").check()
    an.get_by_role("button", name="Delete my account").click()
    flash(an, "Your account is deleted.")
    expect(an.get_by_role("link", name="Log in")).to_be_visible()
    # The organiser's conversation now names a former member, without the old handle.
    quan.goto(base + "/")
    quan.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Messages")
    ).click()
    quan.get_by_role("link", name=re.compile("a former member")).first.click()
    flash(quan, "Em cần treo tranh lúc mấy giờ?")
    expect(quan.get_by_text("a former member").first).to_be_visible()
    expect(quan.get_by_text("nguyen-van-an")).to_have_count(0)
    expect(quan.get_by_role("button", name=re.compile("Block"))).to_have_count(0)

    # 18. Đức, another designer: a new project, an application, its emails, and a report.
    duc = page_factory()
    log_in(duc, base, "duc@example.org")
    nav(duc, "My portfolio")
    duc.get_by_role("link", name="Add a project").click()
    duc.get_by_label("Title").fill("Nón lá Huế")
    duc.get_by_label("Images").set_input_files(
        {"name": "non.png", "mimeType": "image/png", "buffer": png("vessel", 3)}
    )
    duc.get_by_role("button", name="Create the project").click()
    duc.get_by_label("Description of image 1 (alt text)").fill("Chiếc nón lá trên nền tím")
    duc.get_by_role("button", name="Save", exact=True).click()
    flash(duc, "Your project is saved.")
    duc.get_by_role("button", name="Publish").click()
    flash(duc, "Your project is published.")
    nav(duc, "Calls")
    duc.get_by_role("link", name=CALL).click()
    duc.get_by_role("link", name="Apply", exact=True).click()
    duc.get_by_label("Statement").fill("Nón lá kể chuyện Huế.")
    duc.get_by_label("Nón lá Huế").check()
    duc.get_by_role("button", name="Submit my application").click()
    flash(duc, "Your application is submitted")
    received = mail.one("duc@example.org", "was received")
    assert CALL in str(received["Subject"])

    nav(quan, "Calls")
    quan.get_by_role("link", name=CALL).click()
    quan.get_by_role("link", name="Manage this call").click()
    quan.get_by_role("link", name="Submissions").click()
    quan.get_by_role("link", name="Trần Minh Đức").click()
    quan.get_by_role("combobox", name="Decision").select_option("declined")
    quan.get_by_role("button", name="Save the decision").click()
    flash(quan, "The decision was saved")
    quan.get_by_role("button", name="Notify applicants").click()
    flash(quan, "1 applicant was notified.")
    mail.one("duc@example.org", "A decision on your application")

    # Lan reports Đức's new project: a new report, not An's old one.
    lan.goto(base + "/")
    nav(lan, "Designers")
    lan.get_by_role("link", name="Trần Minh Đức").first.click()
    lan.get_by_role("link", name="Nón lá Huế").first.click()
    lan.get_by_role("link", name="Report").click()
    lan.get_by_label("Something else").check()
    lan.get_by_role("button", name="Send the report").click()
    flash(lan, "Thank you. The moderators will look at it")

    nav(khang, "Moderation")
    khang.get_by_role("link", name="Reports", exact=True).first.click()
    khang.get_by_role("link", name="Nón lá Huế").click()
    expect(khang.get_by_text("Tôi từng thấy hoa văn này")).to_have_count(0)
    screenshot(khang, "story-moderation-new-report")
