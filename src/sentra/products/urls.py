from django.urls import path

from sentra.core import views_jobs
from sentra.products import views

app_name = "products"

# Paths in full (the app is included at the site root): the signed-in pages under /produk/, the public
# catalogue under /katalog/.
urlpatterns = [
    path("produk/", views.product_list, name="product_list"),
    path("produk/ekspor/", views_jobs.export_view, {"key": "products.product"}, name="product_export"),
    path("produk/<int:pk>/", views.product_detail, name="product_detail"),
    path("produk/<int:pk>/ubah/", views.ProductEditView.as_view(), name="product_edit"),
    path("produk/<int:pk>/hapus/", views.ProductDeleteView.as_view(), name="product_delete"),
    path("produk/<int:pk>/riwayat/", views.ProductHistoryView.as_view(), name="product_history"),
    path("produk/foto/<int:pk>/", views.photo, name="photo"),
    path("produk/foto/<int:pk>/hapus/", views.photo_delete, name="photo_delete"),
    path("produk/foto/<int:pk>/sampul/", views.photo_cover, name="photo_cover"),
    path("produk/usaha/<int:business_pk>/", views.business_products, name="business_products"),
    path("produk/usaha/<int:business_pk>/baru/", views.ProductEditView.as_view(), name="product_add"),
    path("produk/usaha/<int:business_pk>/katalog/", views.listing_consent, name="listing_consent"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("katalog/wilayah/<str:code>/", views.catalogue_region, name="catalogue_region"),
    path("katalog/sentra/<int:pk>/", views.catalogue_centre, name="catalogue_centre"),
    path("katalog/produk/<int:pk>/", views.catalogue_product, name="catalogue_product"),
    path("katalog/foto/<int:pk>/", views.catalogue_photo, name="catalogue_photo"),
]
