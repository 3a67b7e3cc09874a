from django.http import Http404

from wagtail import hooks

from .models import ResourceAttachment

LIBRARY_COLLECTION = "资源库"


@hooks.register("before_serve_document")
def library_files_only_through_the_library(document, request):
    """Wagtail's public /documents/<id>/ route must not hand out a library file: those go
    through the download view, which checks the login and logs the download."""
    in_library = document.collection.name == LIBRARY_COLLECTION
    if in_library or ResourceAttachment.objects.filter(document=document).exists():
        raise Http404
