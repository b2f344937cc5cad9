from .models import Presence


def presence(request):
    return {"PRESENCE_CHOICES": Presence.choices}
