app_name = "pdf"
urlpatterns = []
