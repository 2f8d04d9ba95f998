"""What several browser tests do the same way: log in through the real form, submit and wait for the next page."""

PASSWORD = "Demo-2026-pass"


def submit(page, button) -> None:
    """Click a button or link that loads another page, and wait for it."""
    with page.expect_navigation():
        button.click()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in on the login page as a staff user and wait for the staff home page."""
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    submit(page, page.get_by_role("button", name="登录"))
    page.wait_for_url("**/staff/")
