import re
from django.test import Client
from django.core.files.uploadedfile import SimpleUploadedFile
from cadre.supervision.tests.test_intake import _form, _token, PNG
def test_x(world):
    client = Client()
    upload = SimpleUploadedFile("../../etc/pass\u202ewd\r\n.png", PNG)
    r = client.post("/public/report/", {**_form(world.town_a, _token(client)), "files": [upload]})
    print(r.status_code, re.findall(r'alert-danger[^>]*>([^<]+)', r.content.decode()))
