from django.conf import settings


def site(request):
    return {"HALL_NAME": settings.HALL_NAME}
