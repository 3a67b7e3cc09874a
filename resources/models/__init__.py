from .pages import H5P_PLAYABLE, PAGE_CONTEXT, ResourceAttachment, ResourceIndexPage, ResourcePage
from .taxonomy import GradeBand, LessonKind, Licence, ResourceTopic, ResourceType
from .usage import DocumentText, ResourceDownload

__all__ = [
    "H5P_PLAYABLE",
    "PAGE_CONTEXT",
    "DocumentText",
    "GradeBand",
    "LessonKind",
    "Licence",
    "ResourceAttachment",
    "ResourceDownload",
    "ResourceIndexPage",
    "ResourcePage",
    "ResourceTopic",
    "ResourceType",
]
