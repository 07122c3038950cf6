"""Every HTML page for every persona: anonymous → login, out of scope → 404, in scope → 200, wrong role → 403."""

import pytest

from branches.models import PartyMember

from . import kit
from .factories import member_edit_data, member_form_data

V11_MEMBER, V11_EDIT = "/members/{tree.members[v11][0].pk}/", "/members/{tree.members[v11][0].pk}/edit/"
PAGES = [
    "/",
    "/org/",
    "/org/{tree.v11.pk}/",
    "/members/",
    V11_MEMBER,
    "/members/add/",
    V11_EDIT,
    "/members/?export=xlsx",
]

ACCESS = [
    *kit.anonymous(PAGES),
    # The town cadre: the whole town.
    ("town_cadre", "/", 200),
    ("town_cadre", "/org/", 200),
    ("town_cadre", "/org/{tree.town.pk}/", 200),
    ("town_cadre", "/org/{tree.g2.pk}/", 200),
    ("town_cadre", "/org/{tree.v22.pk}/", 200),
    ("town_cadre", "/members/", 200),
    ("town_cadre", "/members/{tree.members[v22][0].pk}/", 200),
    ("town_cadre", "/members/add/", 200),
    ("town_cadre", "/members/{tree.members[v22][0].pk}/edit/", 200),
    ("town_cadre", "/members/?export=xlsx", 200),
    # A general-branch secretary: their general branch and its villages; the sibling branch is out of scope.
    ("gb_secretary", "/", 200),
    ("gb_secretary", "/org/{tree.g1.pk}/", 200),
    ("gb_secretary", "/org/{tree.v12.pk}/", 200),
    ("gb_secretary", "/org/{tree.town.pk}/", 404),
    ("gb_secretary", "/org/{tree.g2.pk}/", 404),
    ("gb_secretary", "/org/{tree.v21.pk}/", 404),
    ("gb_secretary", "/members/{tree.members[v12][0].pk}/", 200),
    ("gb_secretary", "/members/{tree.members[v21][0].pk}/", 404),
    ("gb_secretary", "/members/add/", 200),
    ("gb_secretary", "/members/{tree.members[v12][0].pk}/edit/", 200),
    ("gb_secretary", "/members/{tree.members[v21][0].pk}/edit/", 404),
    ("gb_secretary", "/members/?export=xlsx", 403),  # the export needs its own permission (the town cadre has it)
    # A village secretary: their village; the neighbour village and the general branch are out of scope.
    ("village_secretary", "/", 200),
    ("village_secretary", "/org/", 200),
    ("village_secretary", "/org/{tree.v11.pk}/", 200),
    ("village_secretary", "/org/{tree.v12.pk}/", 404),
    ("village_secretary", "/org/{tree.g1.pk}/", 404),
    ("village_secretary", V11_MEMBER, 200),
    ("village_secretary", "/members/{tree.members[v12][0].pk}/", 404),
    ("village_secretary", "/members/add/", 200),
    ("village_secretary", V11_EDIT, 200),
    ("village_secretary", "/members/{tree.members[v12][0].pk}/edit/", 404),
    # A deputy secretary sees their general branch but changes nothing: wrong role → 403.
    ("deputy", "/org/{tree.g1.pk}/", 200),
    ("deputy", "/org/{tree.v11.pk}/", 200),
    ("deputy", "/org/{tree.g2.pk}/", 404),
    ("deputy", "/members/{tree.members[v12][0].pk}/", 200),
    ("deputy", "/members/{tree.members[v21][0].pk}/", 404),
    ("deputy", "/members/add/", 403),
    ("deputy", V11_EDIT, 403),
    ("deputy", "/members/{tree.members[v21][0].pk}/edit/", 404),
    ("deputy", "/members/?export=xlsx", 403),
    # Department staff: the organization's names, none of its members.
    ("dept_staff", "/", 200),
    ("dept_staff", "/org/", 200),
    ("dept_staff", "/org/{tree.town.pk}/", 200),
    ("dept_staff", "/org/{tree.v21.pk}/", 200),
    ("dept_staff", "/members/", 200),
    ("dept_staff", V11_MEMBER, 404),
    ("dept_staff", "/members/add/", 403),
    ("dept_staff", V11_EDIT, 404),
    # A user without a position: nothing.
    ("outsider", "/", 200),
    ("outsider", "/org/", 200),
    ("outsider", "/org/{tree.town.pk}/", 404),
    ("outsider", "/org/{tree.v11.pk}/", 404),
    ("outsider", "/members/", 200),
    ("outsider", V11_MEMBER, 404),
    ("outsider", "/members/add/", 403),
    ("outsider", V11_EDIT, 404),
    ("outsider", "/members/?export=xlsx", 403),
]


@kit.access_table(ACCESS)
def test_page_access(check_access, tree, persona, url, status):
    check_access(persona, url, status)


def test_login_page_is_open_to_anonymous_visitors(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


@pytest.mark.parametrize("url", ["/members/add/", V11_EDIT])
def test_anonymous_post_to_a_form_saves_nothing(check_access, tree, url):
    before = list(PartyMember.objects.order_by("pk").values_list("pk", "name", "version"))

    check_access("anonymous", url, kit.LOGIN, method="post", data=member_form_data(tree.v11, name="匿名"))

    assert list(PartyMember.objects.order_by("pk").values_list("pk", "name", "version")) == before


def test_deputy_cannot_save_a_member_by_posting_the_edit_form(client_as, tree, deputy):
    member = tree.members["v11"][0]

    response = client_as(deputy).post(
        f"/members/{member.pk}/edit/", member_form_data(tree.v11, name="改名", id_number="", version=member.version)
    )

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.name != "改名"


def test_village_secretary_cannot_add_a_member_to_the_neighbour_village(client_as, tree, village_secretary):
    count = PartyMember.objects.count()

    response = client_as(village_secretary).post("/members/add/", member_form_data(tree.v12))

    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    assert PartyMember.objects.count() == count
    assert not PartyMember.objects.filter(name="新党员").exists()


def test_village_secretary_cannot_move_own_member_to_the_neighbour_village(client_as, tree, village_secretary):
    member = tree.members["v11"][0]
    data = member_edit_data(member, branch=tree.v12.pk)

    response = client_as(village_secretary).post(f"/members/{member.pk}/edit/", data)

    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    member.refresh_from_db()
    assert member.branch == tree.v11


def test_general_secretary_cannot_add_a_member_to_the_sibling_branch(client_as, tree, gb_secretary):
    response = client_as(gb_secretary).post("/members/add/", member_form_data(tree.v21))

    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    assert not PartyMember.objects.filter(name="新党员").exists()


def test_village_secretary_adds_a_member_to_own_village(client_as, tree, village_secretary):
    response = client_as(village_secretary).post("/members/add/", member_form_data(tree.v11))

    member = PartyMember.objects.get(name="新党员")
    assert response.status_code == 302
    assert response.url == f"/members/{member.pk}/"
    assert member.branch == tree.v11
    page = client_as(village_secretary).get(response.url).content.decode()
    assert "新党员" in page


def test_add_form_offers_only_the_villages_the_user_may_change(client_as, tree, gb_secretary):
    form = client_as(gb_secretary).get("/members/add/").context["form"]

    assert set(form.fields["branch"].queryset) == {tree.v11, tree.v12}


def test_add_form_preselects_the_village_it_was_opened_from(client_as, tree, village_secretary):
    response = client_as(village_secretary).get(f"/members/add/?branch={tree.v11.pk}")

    assert response.context["form"]["branch"].value() == tree.v11.pk


def test_edit_button_shows_only_to_those_who_may_edit(client_as, tree, village_secretary, deputy):
    member = tree.members["v11"][0]
    edit_url = f"/members/{member.pk}/edit/"

    assert edit_url in client_as(village_secretary).get(f"/members/{member.pk}/").content.decode()
    assert edit_url not in client_as(deputy).get(f"/members/{member.pk}/").content.decode()


def test_add_button_shows_only_to_those_who_may_add(client_as, tree, village_secretary, deputy):
    assert "/members/add/" in client_as(village_secretary).get("/members/").content.decode()
    assert "/members/add/" not in client_as(deputy).get("/members/").content.decode()


def test_village_page_lists_its_members_and_officers(client_as, tree, village_secretary):
    page = client_as(village_secretary).get(f"/org/{tree.v11.pk}/").content.decode()

    for member in tree.members["v11"]:
        assert member.name in page
    assert "v11" in page  # the secretary's name (their full name is their username here)


def test_general_branch_page_shows_liaison_villages_of_its_deputy(client_as, tree, gb_secretary, deputy):
    page = client_as(gb_secretary).get(f"/org/{tree.g1.pk}/").content.decode()

    assert "dep1" in page
    assert tree.v11.name in page and tree.v12.name in page


def test_member_page_shows_the_member(client_as, tree, village_secretary):
    member = tree.members["v11"][0]

    response = client_as(village_secretary).get(f"/members/{member.pk}/")

    page = response.content.decode()
    assert member.name in page
    assert member.id_number_masked in page
    assert tree.v11.name in page


def test_health_check_answers_without_login(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_pages_carry_a_content_security_policy(client_as, tree, village_secretary):
    response = client_as(village_secretary).get("/org/")

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_an_administrator_is_offered_the_tree_and_the_admin_not_the_branches_work(client_as, tree, sysadmin, deputy):
    """An administrator holds no position: the pages of members, meetings and reports would be empty for them."""

    def nav(user):
        page = client_as(user).get("/").content.decode()
        return page[page.index('<nav class="portal-nav') : page.index("</nav>", page.index('<nav class="portal-nav'))]

    admin_nav, deputy_nav = nav(sysadmin), nav(deputy)

    for url in ("/org/", "/admin/"):
        assert f'href="{url}"' in admin_nav
    for url in ("/members/", "/meetings/", "/reports/", "/powers/"):
        assert f'href="{url}"' not in admin_nav and f'href="{url}"' in deputy_nav


def test_the_favicon_is_answered_before_the_session(client_as, tree, village_secretary):
    client = client_as(village_secretary)

    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
    assert "sessionid" not in response.cookies  # the session row is not written again for the icon
