def portal(request):
    return {"tenant": getattr(request, "tenant", None)}
