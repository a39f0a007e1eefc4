from django.shortcuts import render


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    return render(request, "accounts/locked_out.html", status=429)
