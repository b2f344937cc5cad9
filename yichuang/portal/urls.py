from django.urls import path

from .views import apply, bundles, halls, mine, pages, screen, uploads

app_name = "portal"
urlpatterns = [
    path("", pages.home, name="home"),
    path("services/", pages.guide, name="guide"),
    path("services/<slug:code>/", pages.item, name="item"),
    path("services/<slug:code>/apply/", apply.apply, name="apply"),
    path("services/<slug:code>/apply/consent/", apply.reuse_consent, name="reuse_consent"),
    path("bundles/", bundles.index, name="bundles"),
    path("bundles/<slug:code>/", bundles.bundle, name="bundle"),
    path("bundles/<slug:code>/apply/", bundles.bundle_apply, name="bundle_apply"),
    path("progress/", apply.lookup, name="lookup"),
    path("progress/<str:number>/", apply.progress, name="progress"),
    path(
        "progress/<str:number>/documents/<int:doc_id>.pdf", apply.document_pdf, name="document_pdf"
    ),
    path("progress/<str:number>/uploads/<int:pk>/", uploads.attachment, name="attachment"),
    path("my/", mine.mine, name="mine"),
    path("my/code/", mine.send_code, name="mine_code"),
    path("my/verify/", mine.verify, name="mine_verify"),
    path("my/sign-out/", mine.sign_out, name="mine_sign_out"),
    path("my/reuse/withdraw/", mine.withdraw_reuse, name="reuse_withdraw"),
    path("halls/", halls.halls, name="halls"),
    path("board/", pages.board, name="board"),
    path("map/", pages.map_view, name="map"),
    path("commitments/", pages.commitments, name="commitments"),
    path("notices/", pages.notices, name="notices"),
    path("notices/<int:pk>/", pages.notice, name="notice"),
    path("screen/", screen.screen, name="screen"),
    path("screen/<slug:hall>/", screen.screen, name="hall_screen"),
]
