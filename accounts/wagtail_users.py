from wagtail.users.apps import WagtailUsersAppConfig


class XinyuUsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users, with user forms that carry the Chinese full name (姓名)."""

    user_viewset = "accounts.viewsets.XinyuUserViewSet"
